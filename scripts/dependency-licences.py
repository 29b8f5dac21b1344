#!/usr/bin/env python3
"""Prints the licence of every third-party Maven dependency of Vigil's modules, as the Markdown table of docs/licences.md.

Builds the modules (tests skipped) with `dependency:list`, then reads each artifact's licence from its POM in the
local Maven repository, following parent POMs when an artifact declares none. Run it from the repository root and
paste its output over the table in docs/licences.md when a dependency changes:

usage: scripts/dependency-licences.py [--offline]
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MODULES = ["vigil-engine", "vigil-server", "vigil-eval", "vigil-bench"]
REPOSITORY = os.path.expanduser("~/.m2/repository")
POM_NS = "{http://maven.apache.org/POM/4.0.0}"
PARENTS_MAX = 10
SCOPE_RANK = {"compile": 0, "runtime": 1, "provided": 2, "test": 3}
# Declared names, as POMs spell them, to SPDX identifiers.
SPDX = [
    (r"apache", "Apache-2.0"),
    (r"^MPL 2\.0 / EPL 1\.0$", "MPL-2.0 OR EPL-1.0"),
    (r"^EPL-2\.0 / LGPL-2\.1-only$", "EPL-2.0 OR LGPL-2.1-only"),
    (r"^EPL 2\.0 / GPL2 w/ CPE$", "EPL-2.0 OR GPL-2.0-with-classpath-exception"),
    (r"eclipse public license v2\.0", "EPL-2.0"),
    (r"eclipse distribution license|^EDL 1\.0$", "BSD-3-Clause (EDL-1.0)"),
    (r"general public license.*version 2.*classpath", "GPL-2.0-with-classpath-exception"),
    (r"^go license$", "BSD-3-Clause (Go)"),
    (r"^bsd[- ]3-clause$", "BSD-3-Clause"),
    (r"^bsd-2-clause$", "BSD-2-Clause"),
    (r"public domain.*cc0.*bsd-2-clause", "CC0-1.0 OR BSD-2-Clause"),
    (r"mit", "MIT"),
    (r"^0bsd$", "0BSD"),
]


def list_dependencies(offline):
    command = ["./mvnw", "-q", "-DskipTests", "package", "dependency:list", "-DoutputFile=target/dependency-list.txt",
               "-DexcludeGroupIds=io.vigil", "-DoutputAbsoluteArtifactFilename=false"]
    subprocess.run(command + (["-o"] if offline else []), check=True)
    used = {}
    for module in MODULES:
        with open(os.path.join(module, "target", "dependency-list.txt")) as listing:
            for line in listing:
                parts = re.sub(r"\x1b\[[0-9;]*m", "", line).strip().split(" ")[0].split(":")
                if len(parts) < 5:
                    continue
                group, artifact, version, scope = parts[0], parts[1], parts[-2], parts[-1]
                entry = used.setdefault((group, artifact, version), {"scope": scope, "modules": set()})
                if SCOPE_RANK[scope] < SCOPE_RANK[entry["scope"]]:
                    entry["scope"] = scope
                entry["modules"].add(module)
    return used


def child(element, tag):
    found = element.find(POM_NS + tag)
    return found if found is not None else element.find(tag)


def licence(group, artifact, version):
    for _ in range(PARENTS_MAX):
        path = os.path.join(REPOSITORY, *group.split("."), artifact, version, f"{artifact}-{version}.pom")
        root = ET.parse(path).getroot()
        declared = child(root, "licenses")
        if declared is not None and len(declared):
            names = [(child(l, "name").text or "").strip() for l in declared if child(l, "name") is not None]
            return spdx(" / ".join(names))
        parent = child(root, "parent")
        if parent is None:
            break
        group, artifact, version = (child(parent, t).text.strip() for t in ("groupId", "artifactId", "version"))
    return "not declared"


def spdx(declared):
    for pattern, identifier in SPDX:
        if re.search(pattern, declared, re.IGNORECASE):
            return identifier
    return declared


def main():
    used = list_dependencies("--offline" in sys.argv[1:])
    print("| Dependency | Version | Licence | Used by |")
    print("|---|---|---|---|")
    for (group, artifact, version), entry in sorted(used.items()):
        shipped = entry["scope"] in ("compile", "runtime")
        where = ", ".join(m.removeprefix("vigil-") for m in sorted(entry["modules"])) if shipped else "tests and build only"
        print(f"| `{group}:{artifact}` | {version} | {licence(group, artifact, version)} | {where} |")


if __name__ == "__main__":
    main()
