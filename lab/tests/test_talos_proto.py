"""The double speaks the generated messages: its method table is the generated stubs' table,
and the field numbers it relies on are the reference's (reference/talos-api.md §3, §4), read
from the generated descriptors, not written by hand anywhere in the double."""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labhelper  # noqa: E402,F401

from lab.labkit.talos import listener  # noqa: E402
from lab.talos_proto import cluster_grpc, cluster_pb2, common_pb2, machine_grpc, machine_pb2  # noqa: E402

# (message, field, number) as the reference lists them for Talos v1.13.
REFERENCE = [
    (common_pb2.Metadata, "hostname", 1), (common_pb2.Metadata, "error", 2), (common_pb2.Metadata, "status", 3),
    (common_pb2.Data, "metadata", 1), (common_pb2.Data, "bytes", 2),
    (machine_pb2.ApplyConfigurationRequest, "data", 1), (machine_pb2.ApplyConfigurationRequest, "mode", 4),
    (machine_pb2.ApplyConfigurationRequest, "dry_run", 5), (machine_pb2.ApplyConfigurationRequest, "try_mode_timeout", 6),
    (machine_pb2.ApplyConfiguration, "metadata", 1), (machine_pb2.ApplyConfiguration, "warnings", 2),
    (machine_pb2.ApplyConfiguration, "mode", 3), (machine_pb2.ApplyConfiguration, "mode_details", 4),
    (machine_pb2.BootstrapRequest, "recover_etcd", 1), (machine_pb2.BootstrapRequest, "recover_skip_hash_check", 2),
    (machine_pb2.EtcdMemberListRequest, "query_local", 1),
    (machine_pb2.EtcdMembers, "legacy_members", 2), (machine_pb2.EtcdMembers, "members", 3),
    (machine_pb2.EtcdMember, "id", 2), (machine_pb2.EtcdMember, "hostname", 3), (machine_pb2.EtcdMember, "peer_urls", 4),
    (machine_pb2.EtcdMember, "client_urls", 5), (machine_pb2.EtcdMember, "is_learner", 6),
    (machine_pb2.EtcdStatus, "member_status", 2), (machine_pb2.EtcdMemberStatus, "protocol_version", 1),
    (machine_pb2.EtcdMemberStatus, "db_size", 2), (machine_pb2.EtcdMemberStatus, "db_size_in_use", 3),
    (machine_pb2.EtcdMemberStatus, "leader", 4), (machine_pb2.EtcdMemberStatus, "raft_index", 5),
    (machine_pb2.EtcdMemberStatus, "raft_term", 6), (machine_pb2.EtcdMemberStatus, "raft_applied_index", 7),
    (machine_pb2.EtcdMemberStatus, "errors", 8), (machine_pb2.EtcdMemberStatus, "is_learner", 9),
    (machine_pb2.EtcdMemberStatus, "member_id", 10),
    (machine_pb2.VersionInfo, "tag", 1), (machine_pb2.Version, "version", 2), (machine_pb2.Version, "platform", 3),
    (machine_pb2.Version, "features", 4), (machine_pb2.FeaturesInfo, "rbac", 1),
    (machine_pb2.ServiceList, "services", 2), (machine_pb2.ServiceInfo, "id", 1), (machine_pb2.ServiceInfo, "state", 2),
    (machine_pb2.ServiceInfo, "events", 3), (machine_pb2.ServiceInfo, "health", 4),
    (machine_pb2.ServiceHealth, "unknown", 1), (machine_pb2.ServiceHealth, "healthy", 2),
    (machine_pb2.ServiceHealth, "last_message", 3), (machine_pb2.ServiceHealth, "last_change", 4),
    (machine_pb2.ResetRequest, "graceful", 1), (machine_pb2.ResetRequest, "reboot", 2),
    (machine_pb2.ResetRequest, "system_partitions_to_wipe", 3), (machine_pb2.ResetRequest, "user_disks_to_wipe", 4),
    (machine_pb2.ResetRequest, "mode", 5), (machine_pb2.ResetPartitionSpec, "label", 1),
    (machine_pb2.ResetPartitionSpec, "wipe", 2), (machine_pb2.Reset, "actor_id", 2),
    (machine_pb2.RebootRequest, "mode", 1), (machine_pb2.Reboot, "actor_id", 2),
    (cluster_pb2.HealthCheckRequest, "wait_timeout", 1), (cluster_pb2.HealthCheckRequest, "cluster_info", 2),
    (cluster_pb2.ClusterInfo, "control_plane_nodes", 1), (cluster_pb2.ClusterInfo, "worker_nodes", 2),
    (cluster_pb2.HealthCheckProgress, "metadata", 1), (cluster_pb2.HealthCheckProgress, "message", 2),
]
RESPONSES = ["ApplyConfigurationResponse", "BootstrapResponse", "EtcdRecoverResponse", "EtcdMemberListResponse",
             "EtcdStatusResponse", "VersionResponse", "ServiceListResponse", "ResetResponse", "RebootResponse"]


class GeneratedCode(unittest.TestCase):
    def test_field_numbers_are_the_references(self):
        for message, field, number in REFERENCE:
            with self.subTest(message=message.DESCRIPTOR.full_name, field=field):
                self.assertEqual(message.DESCRIPTOR.fields_by_name[field].number, number)

    def test_envelopes_put_messages_and_metadata_at_field_1(self):
        for name in RESPONSES:
            response = getattr(machine_pb2, name).DESCRIPTOR
            self.assertEqual(response.fields_by_name["messages"].number, 1)
            self.assertEqual(response.fields_by_name["messages"].message_type.fields_by_name["metadata"].number, 1)

    def test_the_double_serves_the_generated_method_table(self):
        table = listener.generated_methods()
        expected = {}
        for base in (machine_grpc.MachineServiceBase, cluster_grpc.ClusterServiceBase):
            for path, method in base.__mapping__(listener._Names()).items():
                expected[path] = (method.cardinality, method.request_type, method.reply_type)
        self.assertEqual({p: (m.cardinality, m.request_type, m.reply_type) for p, m in table.items()}, expected)
        self.assertIn("/cluster.ClusterService/HealthCheck", table)
        self.assertEqual(table["/machine.MachineService/EtcdRecover"].request_type, common_pb2.Data)

    def test_no_hand_written_encoding_in_the_double(self):
        folder = os.path.join(labhelper.LAB_DIR, "labkit", "talos")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                with open(os.path.join(folder, name)) as handle:
                    text = handle.read()
                with self.subTest(module=name):
                    self.assertNotRegex(text, re.compile(r"struct\.pack|SerializeToString|_VarintBytes|wire_type"))


if __name__ == "__main__":
    unittest.main()
