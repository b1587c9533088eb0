import Foundation
import HomelabTransport
import SwiftProtobuf
import Synchronization

extension TalosClient {
    /// Streams a snapshot of the node's etcd member into `sink`, chunk by chunk (the next chunk
    /// is read once `sink` returned, so the snapshot is never held in memory). Returns the bytes
    /// delivered. A node whose read fails mid-way just ends the stream: check the size
    /// (`size % 512 == 32`, the SHA-256 trailer) before trusting the file.
    public func etcdSnapshot(into sink: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Int {
        try await dataStream("EtcdSnapshot", Machine_EtcdSnapshotRequest(), into: sink)
    }

    /// Streams the admin kubeconfig, a gzipped tar holding one file named `kubeconfig`, into
    /// `sink`. Returns the bytes delivered.
    public func kubeconfig(into sink: @escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Int {
        try await dataStream("Kubeconfig", Google_Protobuf_Empty(), into: sink)
    }

    /// Uploads an etcd snapshot for a later `bootstrap(recoverEtcd: true)`, from `chunks` (read
    /// one at a time while the upload goes: `TalosFileChunks` reads a file in talosctl's 4 KiB
    /// pieces). Returns the bytes sent.
    public func etcdRecover<Chunks: AsyncSequence & Sendable>(from chunks: Chunks) async throws -> Int where Chunks.Element == [UInt8] {
        let call = "EtcdRecover"
        let options = try callOptions(call, timeout: nil)
        let sent = Mutex(0)
        let response: Machine_EtcdRecoverResponse
        do {
            response = try await transport.clientStreaming(
                GRPCMethod(service: Self.machine, method: call), returning: Machine_EtcdRecoverResponse.self, options: options
            ) { (sink: TalosRequestSink<Common_Data>) in
                for try await chunk in chunks where !chunk.isEmpty {
                    try await sink.send(Common_Data.with { $0.bytes = Data(chunk) })
                    sent.withLock { $0 += chunk.count }
                }
            }
        } catch {
            throw failure(error, call: call)
        }
        _ = try entry(of: response.messages, call: call)
        return sent.withLock { $0 }
    }

    /// Runs the cluster's health checks on a control-plane node for up to `waitTimeout`, each
    /// progress line handed to `progress`. Returns when every check passed (the stream ended with
    /// OK); a check that did not pass in time fails the call (DEADLINE_EXCEEDED: `notReady`).
    public func healthCheck(
        waitTimeout: Duration, clusterInfo: Cluster_ClusterInfo? = nil,
        progress: @escaping @Sendable (String) async throws -> Void
    ) async throws {
        let call = "HealthCheck"
        let request = Cluster_HealthCheckRequest.with {
            // Always set: an unset duration is zero, and the node gives up at once.
            $0.waitTimeout = Google_Protobuf_Duration(seconds: waitTimeout.components.seconds)
            if let clusterInfo { $0.clusterInfo = clusterInfo }
        }
        // The node enforces wait_timeout; ours only guards against a node that never ends it.
        let options = try callOptions(call, timeout: waitTimeout + timeouts.call)
        let target = target
        do {
            try await transport.serverStreaming(
                GRPCMethod(service: "cluster.ClusterService", method: call), request, returning: Cluster_HealthCheckProgress.self,
                options: options
            ) { message in
                if let metadata = message.envelopeError { throw TalosErrorClassifier.from(envelope: metadata, call: call, target: target) }
                try await progress(message.message)
            }
        } catch {
            throw unwrapped(error, call: call)
        }
    }

    /// A server stream of common.Data into `sink`, each message's envelope checked.
    func dataStream<Request: SwiftProtobuf.Message>(_ call: String, _ request: Request, into sink: @escaping @Sendable ([UInt8]) async throws -> Void)
        async throws -> Int
    {
        let options = try callOptions(call, timeout: nil)
        let received = Mutex(0)
        let target = target
        do {
            try await transport.serverStreaming(
                GRPCMethod(service: Self.machine, method: call), request, returning: Common_Data.self, options: options
            ) { data in
                if let metadata = data.envelopeError { throw TalosErrorClassifier.from(envelope: metadata, call: call, target: target) }
                guard !data.bytes.isEmpty else { return }
                let bytes = [UInt8](data.bytes)
                try await sink(bytes)
                received.withLock { $0 += bytes.count }
            }
        } catch {
            throw unwrapped(error, call: call)
        }
        return received.withLock { $0 }
    }

    /// An envelope error (or the sink's) thrown inside a stream's handler comes back wrapped in
    /// the CANCELLED GRPCError that ended the call; it is what the caller needs to see.
    private func unwrapped(_ error: any Error, call: String) -> any Error {
        if let grpc = error as? GRPCError, grpc.code == .cancelled, let inner = grpc.underlying, !(inner is HTTPError) {
            return inner
        }
        return failure(error, call: call)
    }
}
