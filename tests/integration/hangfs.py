#!/usr/bin/env python3
"""A FUSE filesystem holding one file, /disk, whose reads and writes go to a backing
file: the stand-in for a block device that can hang, where device-mapper is missing.

    hangfs.py MOUNTPOINT BACKING_FILE

A loop device over MOUNTPOINT/disk is a block device whose every I/O passes through
this process (the file is opened with FOPEN_DIRECT_IO, so no page cache answers for
it). Stop this process (SIGSTOP) and that I/O blocks in the kernel, as on a suspended
dm device or a dead iSCSI path; continue it (SIGCONT) and the I/O completes.

Speaks the kernel's FUSE protocol on /dev/fuse directly (no libfuse): only what a loop
device needs. Prints "ready" once mounted; exits when unmounted.
"""

import ctypes
import errno
import os
import stat
import struct
import sys

FUSE_LOOKUP, FUSE_FORGET, FUSE_GETATTR, FUSE_SETATTR = 1, 2, 3, 4
FUSE_OPEN, FUSE_READ, FUSE_WRITE, FUSE_STATFS, FUSE_RELEASE = 14, 15, 16, 17, 18
FUSE_FSYNC, FUSE_FLUSH, FUSE_INIT, FUSE_OPENDIR, FUSE_READDIR = 20, 25, 26, 27, 28
FUSE_RELEASEDIR, FUSE_FSYNCDIR, FUSE_ACCESS, FUSE_DESTROY, FUSE_BATCH_FORGET = 29, 30, 34, 38, 42
FOPEN_DIRECT_IO = 1 << 0

IN_HEADER = struct.Struct("<IIQQIIIHH")  # len, opcode, unique, nodeid, uid, gid, pid, extlen, pad
OUT_HEADER = struct.Struct("<IiQ")  # len, error, unique
ATTR = struct.Struct("<QQQQQQIIIIIIIIII")  # struct fuse_attr (88 bytes)
ROOT, DISK = 1, 2
VALID = 3600  # seconds the kernel may cache entries and attributes


def main() -> int:
    mountpoint, backing = sys.argv[1], sys.argv[2]
    size = os.path.getsize(backing)
    data = os.open(backing, os.O_RDWR)
    dev = os.open("/dev/fuse", os.O_RDWR)

    libc = ctypes.CDLL(None, use_errno=True)
    opts = f"fd={dev},rootmode=40000,user_id=0,group_id=0,allow_other".encode()
    if libc.mount(b"sft-hangfs", mountpoint.encode(), b"fuse.sft-hangfs", 0, opts) != 0:
        e = ctypes.get_errno()
        print(f"mount {mountpoint}: {os.strerror(e)}", file=sys.stderr)
        return 1
    print("ready", flush=True)

    def attr(node: int) -> bytes:
        if node == ROOT:
            return ATTR.pack(ROOT, 0, 0, 0, 0, 0, 0, 0, 0, stat.S_IFDIR | 0o755, 2, 0, 0, 0, 4096, 0)
        return ATTR.pack(DISK, size, (size + 511) // 512, 0, 0, 0, 0, 0, 0, stat.S_IFREG | 0o600, 1, 0, 0, 0,
                         4096, 0)

    def reply(unique: int, payload: bytes = b"", error: int = 0) -> None:
        try:
            os.write(dev, OUT_HEADER.pack(OUT_HEADER.size + len(payload), -error, unique) + payload)
        except OSError as e:  # the request was interrupted meanwhile
            if e.errno != errno.ENOENT:
                raise

    while True:
        try:
            req = os.read(dev, (1 << 20) + 4096)
        except OSError as e:
            if e.errno in (errno.EINTR, errno.EAGAIN, errno.ENOENT):
                continue
            if e.errno == errno.ENODEV:  # unmounted
                return 0
            raise
        length, opcode, unique, node, *_ = IN_HEADER.unpack_from(req)
        body = req[IN_HEADER.size:length]
        if opcode == FUSE_INIT:
            major, minor, max_readahead = struct.unpack_from("<III", body)
            # struct fuse_init_out: 7.31, no optional features, 128 KiB writes.
            out = struct.pack("<IIIIHHIIHHII", 7, 31, max_readahead, 0, 16, 12, 128 * 1024, 1, 0, 0, 0, 0)
            reply(unique, out + bytes(24))
        elif opcode in (FUSE_FORGET, FUSE_BATCH_FORGET):
            pass  # no reply
        elif opcode == FUSE_LOOKUP:
            name = body.split(b"\0", 1)[0]
            if node == ROOT and name == b"disk":
                reply(unique, struct.pack("<QQQQII", DISK, 0, VALID, VALID, 0, 0) + attr(DISK))
            else:
                reply(unique, error=errno.ENOENT)
        elif opcode in (FUSE_GETATTR, FUSE_SETATTR):
            reply(unique, struct.pack("<QII", VALID, 0, 0) + attr(node))
        elif opcode == FUSE_OPEN:
            reply(unique, struct.pack("<QII", 0, FOPEN_DIRECT_IO, 0))
        elif opcode == FUSE_OPENDIR:
            reply(unique, struct.pack("<QII", 0, 0, 0))
        elif opcode == FUSE_READ:
            _fh, offset, count = struct.unpack_from("<QQI", body)
            reply(unique, os.pread(data, count, offset))
        elif opcode == FUSE_WRITE:
            _fh, offset, count = struct.unpack_from("<QQI", body)
            written = os.pwrite(data, body[40:40 + count], offset)
            reply(unique, struct.pack("<II", written, 0))
        elif opcode == FUSE_FSYNC:
            os.fsync(data)
            reply(unique)
        elif opcode in (FUSE_FLUSH, FUSE_RELEASE, FUSE_RELEASEDIR, FUSE_FSYNCDIR, FUSE_ACCESS):
            reply(unique)
        elif opcode == FUSE_READDIR:
            reply(unique)  # empty: nothing looks
        elif opcode == FUSE_STATFS:
            reply(unique, struct.pack("<QQQQQIIII", size // 4096, 0, 0, 2, 0, 4096, 255, 4096, 0) + bytes(24))
        elif opcode == FUSE_DESTROY:
            reply(unique)
            return 0
        else:
            reply(unique, error=errno.ENOSYS)


if __name__ == "__main__":
    sys.exit(main())
