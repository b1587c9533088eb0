"""The lab's S3 server (lab/fixtures/s3_fixture.py, moto's server mode): the bucket exists,
objects go in and come out whole (also by range and in multipart uploads), and requests are
checked against the fixed keys for real: a wrong secret is refused."""
import os
import sys
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
from fixturehelper import Fixture


class S3FixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = Fixture("s3_fixture.py")
        cls.info = cls.fixture.info

    @classmethod
    def tearDownClass(cls):
        cls.fixture.stop()

    def client(self, secret=None):
        return boto3.client("s3", endpoint_url=self.info["endpoint"], region_name=self.info["region"],
                            aws_access_key_id=self.info["access_key"],
                            aws_secret_access_key=secret or self.info["secret_key"])

    def test_the_bucket_exists_on_loopback(self):
        self.assertTrue(self.info["endpoint"].startswith("http://127.0.0.1:"))
        self.assertEqual(self.info["bucket"], "homelab-backups")
        names = [b["Name"] for b in self.client().list_buckets()["Buckets"]]
        self.assertIn("homelab-backups", names)

    def test_objects_round_trip_whole_and_by_range(self):
        s3 = self.client()
        body = bytes(range(256)) * 4096
        s3.put_object(Bucket="homelab-backups", Key="tank/apps/immich/homelab-2026-12-01-0000.zstream", Body=body)
        self.assertEqual(s3.get_object(Bucket="homelab-backups", Key="tank/apps/immich/homelab-2026-12-01-0000.zstream")["Body"].read(), body)
        part = s3.get_object(Bucket="homelab-backups", Key="tank/apps/immich/homelab-2026-12-01-0000.zstream", Range="bytes=1000-1999")
        self.assertEqual(part["Body"].read(), body[1000:2000])
        listed = s3.list_objects_v2(Bucket="homelab-backups", Prefix="tank/apps/immich/")
        self.assertIn("tank/apps/immich/homelab-2026-12-01-0000.zstream", [o["Key"] for o in listed["Contents"]])

    def test_a_multipart_upload_is_assembled_in_order(self):
        s3 = self.client()
        parts = [bytes([n]) * (5 << 20) for n in (1, 2)] + [b"tail"]
        upload = s3.create_multipart_upload(Bucket="homelab-backups", Key="multipart")["UploadId"]
        etags = [s3.upload_part(Bucket="homelab-backups", Key="multipart", UploadId=upload, PartNumber=i + 1, Body=p)["ETag"]
                 for i, p in enumerate(parts)]
        s3.complete_multipart_upload(Bucket="homelab-backups", Key="multipart", UploadId=upload, MultipartUpload={
            "Parts": [{"ETag": etag, "PartNumber": i + 1} for i, etag in enumerate(etags)]})
        self.assertEqual(s3.get_object(Bucket="homelab-backups", Key="multipart")["Body"].read(), b"".join(parts))

    def test_a_wrong_secret_is_refused(self):
        with self.assertRaises(ClientError) as refused:
            self.client(secret="not-the-secret-key-of-this-lab-at-all000").list_objects_v2(Bucket="homelab-backups")
        self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_an_unsigned_or_undated_request_is_refused_like_s3_does(self):
        url = f"{self.info['endpoint']}/homelab-backups"
        credential = f"AWS4-HMAC-SHA256 Credential={self.info['access_key']}/20261207/us-east-1/s3/aws4_request, " \
                     "SignedHeaders=host, Signature=00"
        for headers in ({}, {"Authorization": credential}):
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
            self.assertEqual(refused.exception.code, 403)
            self.assertIn(b"<Code>AccessDenied</Code>", refused.exception.read())
            refused.exception.close()


if __name__ == "__main__":
    unittest.main()
