"""Token authentication like pveproxy: header forms, the two 401 reasons, no secret in logs."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase


class TokenAuth(LabTestCase):
    def test_missing_token_is_no_ticket(self):
        response = self.lab.raw("GET", "/version")
        self.assertEqual((response.status, response.reason), (401, "No ticket"))
        self.assertEqual(response.headers.get("Connection"), "close")

    def test_wrong_secret_is_authentication_failed(self):
        token_id = self.lab.token.rsplit("=", 1)[0]
        response = self.lab.api("GET", "/version", token=f"{token_id}=00000000-0000-0000-0000-000000000000")
        self.assertEqual((response.status, response.reason), (401, "Authentication failed!"))
        response = self.lab.api("GET", "/version", token="root@pam!other=" + self.lab.token.rsplit("=", 1)[1])
        self.assertEqual((response.status, response.reason), (401, "Authentication failed!"))

    def test_header_variants_the_real_server_accepts(self):
        for header in (f"PVEAPIToken={self.lab.token}", f"PVEAPIToken {self.lab.token}",
                       f"PVEAPIToken={self.lab.token};ignored=1",
                       "PVEAPIToken=" + self.lab.token.replace("!", "%21")):
            with self.subTest(header=header[:20]):
                response = self.lab.raw("GET", "/version", headers={"Authorization": header})
                self.assertEqual(response.status, 200, response)
                self.assertEqual(response.data["release"], "9.1")

    def test_the_secret_never_reaches_the_request_log(self):
        self.lab.api("GET", "/version", token=self.lab.token.rsplit("=", 1)[0] + "=wrong-secret")
        self.lab.ok("GET", "/version")
        log = str(self.lab.control("GET", "/requests"))
        self.assertNotIn(self.lab.token.rsplit("=", 1)[1], log)
        self.assertNotIn("wrong-secret", log)
        self.assertIn("/api2/json/version", log)


if __name__ == "__main__":
    unittest.main()
