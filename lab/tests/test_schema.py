"""Everything the double accepts exists in the real schema (lab/proxmox/apidata.json)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase

from lab.labkit.routes import ROUTES
from lab.labkit.schema import Schema


class RouteTableAgainstSchema(unittest.TestCase):
    def test_every_route_is_a_method_of_the_real_schema(self):
        schema = Schema()
        self.assertGreater(len(schema.methods), 600)  # the real 9.1 schema, not a stub
        for method, template in ROUTES:
            with self.subTest(route=f"{method} {template}"):
                self.assertIn((method, template), schema.methods)

    def test_concrete_paths_match_their_templates(self):
        schema = Schema()
        self.assertEqual(schema.match("/nodes/pve/qemu/201/status/start"),
                         ("/nodes/{node}/qemu/{vmid}/status/start", {"node": "pve", "vmid": "201"}))
        self.assertEqual(schema.match("/nodes/pve/storage/local/content")[0], "/nodes/{node}/storage/{storage}/content")
        self.assertEqual(schema.match("/no/such/thing"), (None, {}))


class SchemaGate(LabTestCase):
    def test_unknown_parameter_is_refused_with_the_real_text(self):
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "colour": "blue"})
        self.assertEqual(response.status, 400)
        self.assertEqual(response.reason, "Parameter verification failed.")
        self.assertEqual(response.json["errors"]["colour"],
                         "property is not defined in schema and the schema does not allow additional properties")
        self.assertEqual(response.headers.get("Connection"), "close")
        self.assertNotIn(201, [vm["vmid"] for vm in self.lab.control("GET", "/state")["vms"]])

    def test_numbered_names_stand_for_the_schema_n_entries(self):
        self.create_vm(201, net3="e1000,bridge=vmbr0", scsi7="local-zfs:1")
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertTrue(config["net3"].startswith("e1000=BC:24:11:"))
        self.assertTrue(config["scsi7"].startswith("local-zfs:vm-201-disk-"))

    def test_missing_required_and_wrong_types(self):
        response = self.lab.api("POST", "/nodes/pve/qemu", {"name": "x"})
        self.assertEqual(response.json["errors"], {"vmid": "property is missing and it is not optional"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "start": "true"})
        self.assertEqual(response.json["errors"], {"start": "type check ('boolean') failed - got 'true'"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 42})
        self.assertEqual(response.json["errors"], {"vmid": "value must have a minimum value of 100"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "bios": "uefi"})
        self.assertEqual(response.json["errors"],
                         {"bios": "value 'uefi' does not have a value in the enumeration 'seabios, ovmf'"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "force": 1})
        self.assertEqual(response.json["errors"], {"archive": "missing property - 'force' requires this property"})

    def test_json_booleans_are_accepted(self):
        upid = self.lab.ok("POST", "/nodes/pve/qemu", {"vmid": 205, "start": False, "cores": 2}, json_body=True)
        self.assertEqual(self.lab.wait_task(upid)["exitstatus"], "OK")

    def test_unknown_paths_and_unimplemented_schema_methods_are_501(self):
        response = self.lab.api("GET", "/nodes/pve/nonsense")
        self.assertEqual((response.status, response.reason), (501, "Method 'GET /nodes/pve/nonsense' not implemented"))
        response = self.lab.api("PATCH", "/version")
        self.assertEqual(response.status, 501)
        response = self.lab.api("DELETE", "/version")
        self.assertEqual((response.status, response.reason), (501, "Method 'DELETE /version' not implemented"))


if __name__ == "__main__":
    unittest.main()
