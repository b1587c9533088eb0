"""Storage: listing, upload (field order, names, types, checksums), download-url idempotency."""
import hashlib
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase
from lab.labkit import specs

ISO_NAME = specs.TALOS_ISO


def multipart(fields, file_field="filename", file_name="test.iso", data=b"", file_first=False):
    boundary = "----lab" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    file_part = (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
    parts = [file_part] + parts if file_first else parts + [file_part]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Upload(LabTestCase):
    def upload(self, storage="local", **options):
        body, content_type = multipart(**options)
        headers = {"Authorization": f"PVEAPIToken={self.lab.token}", "Content-Type": content_type}
        return self.lab.raw("POST", f"/nodes/pve/storage/{storage}/upload", body, headers)

    def test_upload_in_the_real_order(self):
        data = os.urandom(300 * 1024)
        digest = hashlib.sha256(data).hexdigest()
        response = self.upload(fields=[("content", "iso"), ("checksum-algorithm", "sha256"), ("checksum", digest)],
                               file_name="my talos (1).iso", data=data)
        self.assertEqual(response.status, 200, response)
        status = self.lab.wait_task(response.data)
        self.assertEqual((status["type"], status["exitstatus"]), ("imgcopy", "OK"))
        isos = self.lab.ok("GET", "/nodes/pve/storage/local/content", {"content": "iso"})
        self.assertEqual([(i["volid"], i["size"]) for i in isos], [("local:iso/my_talos__1_.iso", len(data))])
        again = self.upload(fields=[("content", "iso")], file_name="my talos (1).iso", data=b"smaller")
        self.lab.wait_task(again.data)  # the same name silently overwrites
        isos = self.lab.ok("GET", "/nodes/pve/storage/local/content", {"content": "iso"})
        self.assertEqual(isos[0]["size"], len(b"smaller"))

    def test_fields_after_the_file_never_arrive(self):
        response = self.upload(fields=[("content", "iso")], data=b"x" * 1000, file_first=True)
        self.assertEqual(response.status, 400)
        self.assertEqual(response.json["errors"], {"content": "property is missing and it is not optional"})

    def test_file_part_must_be_named_filename(self):
        response = self.upload(fields=[("content", "iso")], file_field="file", data=b"x")
        self.assertEqual((response.status, response.reason), (501, "upload failed"))

    def test_upload_rules(self):
        wrong = self.upload(fields=[("content", "iso")], file_name="talos.raw", data=b"x")
        self.assertEqual(wrong.json["errors"], {"filename": "wrong file extension"})
        zfs = self.upload(storage="local-zfs", fields=[("content", "iso")], data=b"x")
        self.assertEqual((zfs.status, zfs.reason), (500, "can't upload to storage type 'zfspool'"))
        bad = self.upload(fields=[("content", "iso"), ("checksum-algorithm", "sha256"), ("checksum", "0" * 64)],
                          data=b"payload")
        status = self.lab.wait_task(bad.data)
        self.assertTrue(status["exitstatus"].startswith("checksum mismatch"), status)
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/storage/local/content", {"content": "iso"}), [])
        missing = self.upload(fields=[], data=b"x")
        self.assertEqual(missing.json["errors"], {"content": "property is missing and it is not optional"})
        self.assertEqual(os.listdir(os.path.join(self.lab.directory, "tmp")), [])  # no scratch left behind

    def test_upload_needs_content_length(self):
        connection = self.lab.connection()
        try:
            connection.putrequest("POST", "/api2/json/nodes/pve/storage/local/upload")
            connection.putheader("Authorization", f"PVEAPIToken={self.lab.token}")
            connection.putheader("Content-Type", "multipart/form-data; boundary=x")
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            connection.send(b"0\r\n\r\n")
            self.assertEqual(connection.getresponse().status, 501)
        finally:
            connection.close()


class DownloadURL(LabTestCase):
    def setUp(self):
        super().setUp()
        with open(os.path.join(self.lab.directory, "files", ISO_NAME), "rb") as handle:
            self.data = handle.read()
        self.url = f"{self.lab.info['control']}/files/{ISO_NAME}"
        self.sha256 = hashlib.sha256(self.data).hexdigest()

    def download(self, **extra):
        params = {"url": self.url, "content": "iso", "filename": ISO_NAME}
        params.update(extra)
        return self.lab.run_task("POST", "/nodes/pve/storage/local/download-url", params)

    def test_download_then_idempotent_with_checksum(self):
        checksum = {"checksum": self.sha256, "checksum-algorithm": "sha256"}
        self.assertEqual(self.download(**checksum)["exitstatus"], "OK")
        isos = self.lab.ok("GET", "/nodes/pve/storage/local/content", {"content": "iso"})
        self.assertEqual([(i["volid"], i["size"]) for i in isos], [(f"local:iso/{ISO_NAME}", len(self.data))])
        second = self.download(**checksum)
        self.assertEqual(second["exitstatus"], "OK")
        log = [line["t"] for line in self.lab.ok("GET", f"/nodes/pve/tasks/{second['upid']}/log")]
        self.assertTrue(any("skipping download" in line for line in log), log)

    def test_existing_file_without_checksum_is_refused(self):
        self.download()
        status = self.download()
        self.assertTrue(status["exitstatus"].startswith("refusing to override existing file '"), status)

    def test_existing_file_with_other_checksum_fails(self):
        self.download()
        status = self.download(checksum="0" * 64, **{"checksum-algorithm": "sha256"})
        self.assertIn("checksum mismatch", status["exitstatus"])

    def test_wrong_checksum_on_download(self):
        status = self.download(checksum="0" * 64, **{"checksum-algorithm": "sha256"})
        self.assertIn("checksum mismatch", status["exitstatus"])
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/storage/local/content", {"content": "iso"}), [])

    def test_storage_list(self):
        storages = {s["storage"]: s for s in self.lab.ok("GET", "/nodes/pve/storage")}
        self.assertEqual({k: v["type"] for k, v in storages.items()},
                         {"local": "dir", "local-zfs": "zfspool", "backup-hdd": "dir"})
        iso_capable = [s["storage"] for s in self.lab.ok("GET", "/nodes/pve/storage", {"content": "iso"})]
        self.assertEqual(iso_capable, ["local"])

    def test_the_pseudo_iso_has_the_iso9660_magic(self):
        self.assertEqual(self.data[0x8001:0x8006], b"CD001")
        self.assertGreaterEqual(len(self.data), 2 * 1024 * 1024)


if __name__ == "__main__":
    unittest.main()
