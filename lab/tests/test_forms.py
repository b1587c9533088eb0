"""Form decoding traps of the real server, seen through the request log."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase

from lab.labkit.params import decode_urlencoded

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Decoding(unittest.TestCase):
    def test_pairs_split_on_ampersand_and_semicolon_and_keep_up_to_the_second_equals(self):
        self.assertEqual(decode_urlencoded("net0=virtio,bridge=vmbr0"), {"net0": "virtio,bridge"})
        self.assertEqual(decode_urlencoded("boot=order=scsi0;ide2"), {"boot": "order", "ide2": ""})
        self.assertEqual(decode_urlencoded("cpu=host,flags=+aes"), {"cpu": "host,flags"})
        self.assertEqual(decode_urlencoded("flags=+aes;a=1&a=2"), {"flags": " aes", "a": ["1", "2"]})
        self.assertEqual(decode_urlencoded("net0=virtio%2Cbridge%3Dvmbr0"), {"net0": "virtio,bridge=vmbr0"})


class FormsOnTheWire(LabTestCase):
    def _last_params(self):
        return self.lab.control("GET", "/requests")[-1]["params"]

    def _post(self, body):
        headers = dict(FORM, Authorization=f"PVEAPIToken={self.lab.token}")
        return self.lab.raw("POST", "/nodes/pve/qemu", body.encode(), headers)

    def test_unencoded_net0_arrives_truncated_and_is_refused(self):
        response = self._post("vmid=201&net0=virtio,bridge=vmbr0")
        self.assertEqual(self._last_params()["net0"], "virtio,bridge")
        self.assertEqual(response.status, 400)
        self.assertEqual(response.json["errors"]["net0"],
                         "invalid format - duplicate key in comma-separated list property: model")

    def test_unencoded_boot_order_is_split_in_two(self):
        self._post("vmid=201&boot=order=scsi0;ide2")
        params = self._last_params()
        self.assertEqual(params["boot"], "order")
        self.assertIn("ide2", params)

    def test_repeated_key_becomes_an_array_and_fails_a_string_check(self):
        response = self._post("vmid=201&name=a&name=b")
        self.assertEqual(response.json["errors"]["name"], "type check ('string') failed - got ARRAY")

    def test_fully_encoded_form_works(self):
        response = self._post("vmid=201&net0=virtio%2Cbridge%3Dvmbr0&boot=order%3Dscsi0%3Bnet0&tags=a%2Bb")
        self.assertEqual(response.status, 200, response)
        status = self.lab.wait_task(response.data)
        self.assertEqual(status["exitstatus"], "OK")
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertEqual(config["boot"], "order=scsi0;net0")
        self.assertRegex(config["net0"], r"^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0$")

    def test_query_parameters_are_merged_on_top_of_the_body(self):
        headers = dict(FORM, Authorization=f"PVEAPIToken={self.lab.token}")
        response = self.lab.raw("POST", "/nodes/pve/qemu?name=from-query", b"vmid=201&name=from-body", headers)
        self.lab.wait_task(response.data)
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/config")["name"], "from-query")

    def test_body_rules(self):
        auth = {"Authorization": f"PVEAPIToken={self.lab.token}"}
        response = self.lab.raw("GET", "/version", b"x=1", dict(auth, **FORM))
        self.assertEqual((response.status, response.reason), (501, "Unexpected content for method 'GET'"))
        response = self.lab.raw("POST", "/nodes/pve/qemu", b"vmid=201&description=" + b"x" * (600 * 1024),
                                dict(auth, **FORM))
        self.assertEqual((response.status, response.reason), (501, "for data too large"))
        response = self.lab.raw("POST", "/nodes/pve/qemu", b"vmid=201", dict(auth, **{"Content-Type": "text/plain"}))
        self.assertEqual(response.status, 506)

    def test_chunked_bodies_are_refused(self):
        connection = self.lab.connection()
        try:
            connection.putrequest("POST", "/api2/json/nodes/pve/qemu")
            connection.putheader("Authorization", f"PVEAPIToken={self.lab.token}")
            connection.putheader("Transfer-Encoding", "chunked")
            connection.putheader("Content-Type", "application/x-www-form-urlencoded")
            connection.endheaders()
            connection.send(b"8\r\nvmid=201\r\n0\r\n\r\n")
            response = connection.getresponse()
            self.assertEqual((response.status, response.reason), (501, "chunked transfer encoding not supported"))
        finally:
            connection.close()


if __name__ == "__main__":
    unittest.main()
