"""Checkpoints: a save killed mid-write leaves a temp file that the next save in that folder removes."""
import os
import signal
import subprocess
import sys
import textwrap

import torch

from labkit import load_checkpoint, save_checkpoint

KILLED_WRITER = textwrap.dedent("""
    import sys, time, torch
    from labkit import save_checkpoint
    def stuck(obj, f):  # starts writing, then hangs until killed
        f.write(b"half a checkpoint"); f.flush(); print("writing", flush=True); time.sleep(120)
    torch.save = stuck
    save_checkpoint({"w": torch.zeros(2)}, sys.argv[1])
""")


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_the_temp_file_of_a_killed_save_is_removed_by_the_next_save(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path / "best.pt")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    orphans = list(tmp_path.glob(".best.pt.*.tmp"))
    assert len(orphans) == 1 and not (tmp_path / "best.pt").exists()
    save_checkpoint({"w": torch.ones(2)}, tmp_path / "best.pt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.pt"]
    assert torch.equal(torch.load(tmp_path / "best.pt", weights_only=True)["w"], torch.ones(2))


def test_only_orphans_of_this_checkpoint_from_dead_processes_are_removed(tmp_path):
    names = {"dead": f".best.pt.{dead_pid()}.x1.tmp", "old style": ".best.pt.k2j3h4.tmp",
             "live": f".best.pt.{os.getpid()}.x2.tmp", "other file": f".other.pt.{dead_pid()}.x3.tmp",
             "user's": "best.pt.tmp"}
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    save_checkpoint({"w": torch.ones(2)}, tmp_path / "best.pt")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"best.pt", names["live"], names["other file"], names["user's"]}


def test_a_checkpoint_gets_the_permissions_of_an_ordinary_file(tmp_path):
    old = os.umask(0o022)
    try:
        save_checkpoint({"w": torch.ones(2)}, tmp_path / "best.pt")
        (tmp_path / "plain").write_bytes(b"")
    finally:
        os.umask(old)
    assert (tmp_path / "best.pt").stat().st_mode & 0o777 == (tmp_path / "plain").stat().st_mode & 0o777 == 0o644


def test_round_trip_into_a_model(tmp_path):
    from labkit import RNNClassifier
    save_checkpoint(RNNClassifier(seed=3).state_dict(), tmp_path / "sub" / "best.pt")
    loaded = load_checkpoint(RNNClassifier(seed=4), tmp_path / "sub" / "best.pt")
    assert all(torch.equal(a, b) for a, b in zip(loaded.state_dict().values(), RNNClassifier(seed=3).state_dict().values()))
