package io.vigil.server.list;

import java.util.Map;

/**
 * One entry of an import file, before it is checked: where it is in the file, as the prefix of
 * every error's {@code param} ({@code lines[7]} in a CSV file, {@code entries[3]} in a JSON one),
 * and its fields by name, absent when empty.
 */
record ImportRow(String path, Map<String, Object> fields) {}
