"""Signs requests to Vigil with an API key, for the measurement scripts (the scheme is in docs/security.md).

    from vigil_signing import Signer
    signer = Signer.from_key_file("data/demo-api-key")    # key_id= and secret= lines
    headers = signer.headers("POST", "/v1/decisions", body_bytes)
"""
import base64
import hashlib
import hmac
import time


class Signer:
    def __init__(self, key_id, secret):
        self.key_id, self.secret = key_id, secret.encode()

    @staticmethod
    def from_key_file(path):
        values = dict(line.strip().split("=", 1) for line in open(path) if "=" in line)
        return Signer(values["key_id"], values["secret"])

    def headers(self, method, path_with_query, body=b""):
        digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":" if body else ""
        t = str(int(time.time()))
        v1 = hmac.new(self.secret, "\n".join([t, method, path_with_query, digest]).encode(), hashlib.sha256).hexdigest()
        h = {"Vigil-Key-Id": self.key_id, "Vigil-Signature": f"t={t},v1={v1}"}
        if body:
            h["Content-Digest"] = digest
        return h
