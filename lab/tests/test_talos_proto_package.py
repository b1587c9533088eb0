"""The generated Talos package (lab/talos_proto, `make proto`): importable as a package, with the
gRPC paths and field numbers of upstream Talos (the Swift side checks the same numbers)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
import labhelper  # noqa: E402,F401  (puts the repository root on sys.path)
from lab.talos_proto import cluster_grpc, cluster_pb2, common_pb2, machine_grpc, machine_pb2  # noqa: E402


class TalosProtoTests(unittest.TestCase):
    @staticmethod
    def mapping(base):
        """The handlers of a service whose methods all do nothing: its paths and cardinalities."""
        async def nothing(self, stream):
            pass
        node = type("Node", (base,), {name: nothing for name in base.__abstractmethods__})()
        return {path: handler.cardinality for path, handler in node.__mapping__().items()}

    def test_services_are_at_upstreams_paths(self):
        from grpclib.const import Cardinality
        machine = self.mapping(machine_grpc.MachineServiceBase)
        unary = ("ApplyConfiguration", "Bootstrap", "EtcdMemberList", "EtcdStatus", "Reboot", "Reset", "ServiceList", "Version")
        expected = {f"/machine.MachineService/{name}": Cardinality.UNARY_UNARY for name in unary}
        expected["/machine.MachineService/EtcdRecover"] = Cardinality.STREAM_UNARY
        expected["/machine.MachineService/EtcdSnapshot"] = Cardinality.UNARY_STREAM
        expected["/machine.MachineService/Kubeconfig"] = Cardinality.UNARY_STREAM
        self.assertEqual(machine, expected)
        self.assertEqual(self.mapping(cluster_grpc.ClusterServiceBase),
                         {"/cluster.ClusterService/HealthCheck": Cardinality.UNARY_STREAM})

    def test_field_numbers_on_the_wire(self):
        # ApplyConfigurationRequest: data = 1, mode = 4 (AUTO = 1).
        request = machine_pb2.ApplyConfigurationRequest(data=b"x", mode=machine_pb2.ApplyConfigurationRequest.AUTO)
        self.assertEqual(request.SerializeToString(), b"\x0a\x01x\x20\x01")
        # BootstrapRequest: recover_etcd = 1, recover_skip_hash_check = 2.
        self.assertEqual(machine_pb2.BootstrapRequest(recover_etcd=True, recover_skip_hash_check=True).SerializeToString(),
                         b"\x08\x01\x10\x01")
        # common.Data: metadata = 1 {hostname 1, error 2}, bytes = 2.
        data = common_pb2.Data(metadata=common_pb2.Metadata(hostname="n", error="e"), bytes=b"z")
        self.assertEqual(data.SerializeToString(), b"\x0a\x06\x0a\x01n\x12\x01e\x12\x01z")
        # HealthCheckRequest: wait_timeout = 1 {seconds 1}.
        health = cluster_pb2.HealthCheckRequest()
        health.wait_timeout.seconds = 60
        self.assertEqual(health.SerializeToString(), b"\x0a\x02\x08\x3c")


if __name__ == "__main__":
    unittest.main()
