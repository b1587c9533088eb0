#!/bin/sh
# Regenerates the Talos protobuf code from proto/talos/ (run through `make proto`, which installs
# protoc and builds the Swift plugin first) and writes the stamp proto/talos/GENERATED that
# Tests/HomelabActionsTests/Talos/TalosProtoStampTests.swift checks the committed files against.
#
#   proto/generate.sh PROTOC SWIFT_PLUGIN LAB_PYTHON
#
# Swift: Sources/HomelabActions/Talos/Proto/*.pb.swift (Debian's protoc + protoc-gen-swift from the
# swift-protobuf package). Python: lab/talos_proto/ (grpcio-tools' protoc: *_pb2.py and grpclib
# stubs *_grpc.py), flattened into one package whose modules import each other relatively, so the
# lab imports `talos_proto.machine_pb2` without putting anything else on sys.path.
set -eu

PROTOC=$1
LAB_PYTHON=$3
# Absolute: protoc runs from proto/talos for the Swift pass.
SWIFT_PLUGIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

PROTO_DIR=proto/talos
SWIFT_OUT=Sources/HomelabActions/Talos/Proto
PY_OUT=lab/talos_proto
STAMP=$PROTO_DIR/GENERATED
# Generation order is fixed so the stamp is stable.
PROTOS="google/rpc/status.proto common/common.proto machine/machine.proto cluster/cluster.proto"

# The one source of truth for Talos' version: the inventory's talos.version.
VERSION=$(awk '/^talos:/ { t = 1; next } t && /^[^ #]/ { t = 0 } t && $1 == "version:" { print $2; exit }' inventory.yaml)
[ -n "$VERSION" ] || { echo "error: no talos.version in inventory.yaml" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Swift: one file per .proto, named after it (FileNaming=DropPath), public so actions and tests
# use the messages directly.
mkdir -p "$WORK/swift"
(cd $PROTO_DIR && "$PROTOC" --plugin=protoc-gen-swift="$SWIFT_PLUGIN" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --swift_out="$WORK/swift" $PROTOS)
mkdir -p $SWIFT_OUT
rm -f $SWIFT_OUT/*.pb.swift
cp "$WORK"/swift/*.pb.swift $SWIFT_OUT/

# Python: generate with the paths protoc imposes (common/common_pb2.py importing
# `from common import common_pb2`), then flatten and make the imports relative.
mkdir -p "$WORK/py"
PATH="$(dirname "$LAB_PYTHON"):$PATH" "$LAB_PYTHON" -m grpc_tools.protoc -I$PROTO_DIR \
    --python_out="$WORK/py" --grpclib_python_out="$WORK/py" $PROTOS
rm -f $PY_OUT/*_pb2.py $PY_OUT/*_grpc.py
for proto in $PROTOS; do
    base=$(basename "$proto" .proto)
    dir=$(dirname "$proto")
    for kind in pb2 grpc; do
        src="$WORK/py/$dir/${base}_$kind.py"
        # status.proto has no service: its empty grpclib stub is not kept.
        if [ "$kind" = grpc ] && ! grep -q "class .*Base" "$src"; then continue; fi
        sed -E \
            -e 's/^from (common|machine|cluster|google\.rpc) import ([a-z_]+_pb2) as /from . import \2 as /' \
            -e 's/^import (common|machine|cluster)\.([a-z_]+_pb2)$/from . import \2/' \
            -e 's/\b(common|machine|cluster)\.((common|machine|cluster)_pb2)\./\2./g' \
            "$src" > "$PY_OUT/${base}_$kind.py"
    done
done

# The stamp: what generated the files and the SHA-256 of every input and output.
{
    echo "# Written by make proto (proto/generate.sh); checked by TalosProtoStampTests. Do not edit."
    echo "talos-version $VERSION"
    echo "protoc $("$PROTOC" --version | awk '{ print $2 }')"
    echo "python-protoc $("$LAB_PYTHON" -m grpc_tools.protoc --version | awk '{ print $2 }')"
    for proto in $PROTOS; do sha256sum "$PROTO_DIR/$proto"; done
    for file in $(ls $SWIFT_OUT/*.pb.swift $PY_OUT/*_pb2.py $PY_OUT/*_grpc.py | LC_ALL=C sort); do sha256sum "$file"; done
} | sed -E 's/^([0-9a-f]{64})  /sha256 \1 /' > $STAMP
echo "generated Talos $VERSION protobuf code; stamp in $STAMP"
