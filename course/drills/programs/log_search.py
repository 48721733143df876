import os
import tempfile


def errors_whole(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return [line for line in lines if " ERROR " in line]


def errors_streaming(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f if " ERROR " in line]


def write_log(path, n_lines):
    """About 55 bytes per line; one line in 250 is an error."""
    with open(path, "w") as f:
        for i in range(n_lines):
            level = "ERROR" if i % 250 == 0 else "INFO"
            f.write(f"2024-05-01T12:{i // 60 % 60:02d}:{i % 60:02d} {level} request {i} done\n")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "app.log")
        write_log(path, 75_000)
        print(f"log file: {os.path.getsize(path) / 2**20:.1f} MiB")
        print(f"errors_whole:     {len(errors_whole(path))} matches")
        print(f"errors_streaming: {len(errors_streaming(path))} matches")
