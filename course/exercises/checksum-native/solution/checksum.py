"""Verifies a backup: recomputes every block's knot32 checksum and compares it with the manifest.

    perflab run checksum.py
    perflab profile checksum.py

knot32 is the storage team's own checksum; its exact definition is in exercise.md and in
knot32_python below. The manifest's values were written with this same definition, so any
faster version must give bit-for-bit the same numbers.

The per-byte loop runs in C: a ten-line function compiled into a shared library the first
time this module is imported, cached in .native-build/ beside it, and called through cffi.
"""
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import cffi

import backup_blocks

# The Python loop's two lines on unsigned 32-bit integers. `& 0xFFFF` keeps a and b below
# 2**16 exactly as in Python, so b << 16 | a fits in 32 bits and nothing can overflow.
C_SOURCE = """
#include <stddef.h>
#include <stdint.h>

uint32_t knot32(const unsigned char *data, size_t length)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < length; i++) {
        a = (a + (data[i] ^ (b & 0xFF)) + 1) & 0xFFFF;
        b = (b + a) & 0xFFFF;
    }
    return (b << 16) | a;
}
"""
# What cffi needs to know to call it: the C declaration, copied from the source above.
C_DECLARATIONS = "uint32_t knot32(const unsigned char *data, size_t length);"

CACHE_DIR = Path(__file__).resolve().parent / ".native-build"


def _compile(source_dir: Path) -> Path:
    """Compile C_SOURCE into a shared library inside `source_dir` and return its path."""
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise RuntimeError("knot32 needs a C compiler (cc or gcc) to build its native loop")
    source = source_dir / "knot32.c"
    source.write_text(C_SOURCE)
    library = source_dir / "knot32.so"
    build = subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        raise RuntimeError(f"compiling knot32.c failed:\n{build.stderr}")
    return library


def _load_library():
    """cffi in ABI mode: declare the function, then open the compiled library.

    The library is built once per version of the C source (its hash is in the file name)
    and kept in CACHE_DIR, so only the first import in a folder pays for the compiler. It is
    built in a temporary folder inside CACHE_DIR and moved into place with os.replace, which
    is atomic on one file system: a process starting meanwhile never loads half a file.
    """
    ffi = cffi.FFI()
    ffi.cdef(C_DECLARATIONS)
    version = hashlib.sha256(C_SOURCE.encode()).hexdigest()[:12]
    cached = CACHE_DIR / f"knot32-{version}.so"
    if cached.exists():
        return ffi, ffi.dlopen(str(cached))
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        build_root = CACHE_DIR
    except OSError:
        build_root = None  # a read-only folder: build in the system's temporary folder, uncached
    with tempfile.TemporaryDirectory(prefix="build-", dir=build_root) as build_dir:
        library = _compile(Path(build_dir))
        if build_root is not None:
            os.replace(library, cached)
            library = cached
        # A library stays loaded after its file is deleted, so the temporary folder can go.
        return ffi, ffi.dlopen(str(library))


# Built (or loaded from the cache) at import time, so no checksum call pays for the compiler.
_ffi, _lib = _load_library()


def knot32(data: bytes) -> int:
    """The knot32 checksum of `data` (any bytes-like object), computed in C."""
    # from_buffer hands C a pointer to the object's own memory: no copy of the data.
    return _lib.knot32(_ffi.from_buffer(data), len(data))


def knot32_python(data: bytes) -> int:
    """The same checksum in pure Python: the readable specification, and a reference for tests."""
    a, b = 1, 0
    for byte in data:
        a = (a + (byte ^ (b & 0xFF)) + 1) & 0xFFFF
        b = (b + a) & 0xFFFF
    return (b << 16) | a


def main() -> None:
    damaged = []
    for index, expected in enumerate(backup_blocks.MANIFEST):
        actual = knot32(backup_blocks.block(index))
        if actual != expected:
            damaged.append((index, expected, actual))
    total = backup_blocks.BLOCK_COUNT * backup_blocks.BLOCK_SIZE
    print(f"checked {backup_blocks.BLOCK_COUNT} blocks, {total // 1024} KiB: "
          f"{backup_blocks.BLOCK_COUNT - len(damaged)} intact, {len(damaged)} damaged")
    for index, expected, actual in damaged:
        print(f"  block {index}: manifest says {expected:#010x}, block gives {actual:#010x}")


if __name__ == "__main__":
    main()
