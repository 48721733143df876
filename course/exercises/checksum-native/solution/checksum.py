"""Verifies a backup: recomputes every block's knot32 checksum and compares it with the manifest.

    perflab run checksum.py
    perflab profile checksum.py

knot32 is the storage team's own checksum; its exact definition is in exercise.md and in
the code below. The manifest's values were written with this same definition, so any
faster version must give bit-for-bit the same numbers.

The per-byte loop runs in C, compiled with cffi the first time this module is imported and
cached beside it in .native-build/ (later imports in the same folder load the cached build).
"""
import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path

import cffi

import backup_blocks

MODULUS = 65519  # a prime just below 2**16

# The same two lines as the Python loop, on unsigned 32-bit integers: a and b stay below
# 65519, so b << 16 still fits in 32 bits.
C_SOURCE = """
#include <stddef.h>
#include <stdint.h>

uint32_t knot32(const unsigned char *data, size_t length)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < length; i++) {
        a = (a + (data[i] ^ (b & 0xFF)) + 1) % 65519;
        b = (b + a) % 65519;
    }
    return (b << 16) | a;
}
"""
C_DECLARATIONS = "uint32_t knot32(const unsigned char *data, size_t length);"


def _load_native():
    """The compiled extension module, built once per source version and cached.

    cffi's API mode writes a small C extension (our function plus the glue that converts
    Python arguments) and compiles it with the same compiler settings as Python itself.
    The build happens in a temporary folder; the finished .so is then moved into the cache
    with os.replace, which is atomic, so two processes building at once cannot leave a
    half-written file for a third to load.
    """
    version = hashlib.sha256((C_DECLARATIONS + C_SOURCE).encode()).hexdigest()[:12]
    module_name = f"_knot32_{version}"
    cache = Path(__file__).resolve().parent / ".native-build"
    cached = sorted(cache.glob(f"{module_name}.*.so")) if cache.is_dir() else []
    if cached:
        return _import_extension(module_name, cached[0])

    ffi = cffi.FFI()
    ffi.cdef(C_DECLARATIONS)
    ffi.set_source(module_name, C_SOURCE, extra_compile_args=["-O2"])
    with tempfile.TemporaryDirectory(prefix="knot32-build-") as build_dir:
        built = Path(ffi.compile(tmpdir=build_dir, verbose=False))
        try:
            cache.mkdir(exist_ok=True)
            os.replace(built, cache / built.name)
            built = cache / built.name
        except OSError:
            # A read-only folder: load the build from the temporary folder. A loaded
            # extension no longer needs its file, so the folder can go.
            pass
        return _import_extension(module_name, built)


def _import_extension(module_name, path):
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Compiled (or loaded from the cache) at import time, so the first checksum does not pay
# for the compiler.
_native = _load_native()
_ffi, _lib = _native.ffi, _native.lib


def knot32(data: bytes) -> int:
    """The knot32 checksum of `data`: a 32-bit number, b in the high half and a in the low."""
    # from_buffer lends C a pointer to the bytes object's own memory: no copy.
    return _lib.knot32(_ffi.from_buffer(data), len(data))


def knot32_python(data: bytes) -> int:
    """The original pure-Python definition (kept as the readable specification)."""
    a, b = 1, 0
    for byte in data:
        a = (a + (byte ^ (b & 0xFF)) + 1) % MODULUS
        b = (b + a) % MODULUS
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
