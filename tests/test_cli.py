"""`python -m labkit train`: artefacts that belong together, and user errors as `error: ...`, exit 2.

Runs that need a real process (Ctrl-C, two runs at once, the end-to-end run) use a subprocess;
errors found before training call `main()` in this process, which is much faster.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from labkit import RNNClassifier, TrainConfig, load_checkpoint, train, write_digit_sum
from labkit.cli import main

TINY = ("train", "--length", "5", "--epochs", "2", "--eval-steps", "5")  # 10 steps


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "labkit", *args], capture_output=True, text=True, timeout=300,
                          **kwargs)


def call(capsys, *args) -> tuple[int, str]:
    """(exit code, stderr) of `main(args)` in this process; any exception fails the test."""
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse's own errors
        code = exit.code
    return code, capsys.readouterr().err


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"log.json holds {constant}, which is not JSON")
    return json.loads(text, parse_constant=refuse)


def listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_train_writes_norms_log_and_checkpoint(tmp_path):
    out = tmp_path / "run"
    done = run("train", "--length", "10", "--epochs", "4", "--lr", "0.2", "--max-norm", "20",
               "--clip-mode", "global", "--seed", "0", "--out", str(out))
    assert done.returncode == 0, done.stderr
    log = strict_json((out / "log.json").read_text())
    assert log["config"]["max_norm"] == 20 and log["config"]["length"] == 10
    assert len(log["grad_norms"]["pre"]["rnn_model.U"]) == len(log["step_losses"]) == 20
    assert max(log["grad_norms"]["post"]["rnn_model.U"]) <= 20 * (1 + 1e-5)
    assert (out / "norms.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    model = load_checkpoint(RNNClassifier(), out / "best.pt")
    assert torch.isfinite(model.rnn_model.U).all()
    assert "test acc" in done.stdout
    assert listing(tmp_path) == ["run"] and listing(out) == ["best.pt", "log.json", "norms.png"]


def test_bad_values_exit_2_with_a_message(tmp_path):
    done = run("train", "--lr", "-0.1", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "lr must be > 0" in done.stderr
    done = run("train", "--length", "12", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "invalid choice" in done.stderr
    assert listing(tmp_path) == []


def test_a_second_run_refuses_a_non_empty_out_unless_forced(tmp_path, capsys):
    out = tmp_path / "run"
    assert call(capsys, *TINY, "--out", str(out))[0] == 0
    before = {name: (out / name).read_bytes() for name in listing(out)}
    code, err = call(capsys, *TINY, "--seed", "1", "--out", str(out))
    assert code == 2 and err.startswith("error: ") and "not empty" in err and "--force" in err
    assert {name: (out / name).read_bytes() for name in listing(out)} == before
    assert call(capsys, *TINY, "--seed", "1", "--out", str(out), "--force")[0] == 0
    assert listing(out) == sorted(before) and strict_json((out / "log.json").read_text())["config"]["seed"] == 1
    assert all((out / name).read_bytes() != old for name, old in before.items())
    assert listing(tmp_path) == ["run"]  # no temporary folder left behind


def test_force_keeps_files_it_did_not_write_and_refuses_a_foreign_folder(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, err = call(capsys, *TINY, "--out", str(out), "--force")
    assert code == 2 and "notes.txt" in err and listing(out) == ["notes.txt"]


def test_a_run_without_a_checkpoint_does_not_claim_one_and_writes_strict_json(tmp_path, capsys):
    out = tmp_path / "run"
    code = main([*TINY, "--lr", "1e35", "--out", str(out)])  # step 1 overflows the weights: diverged at 2, never evaluated
    printed = capsys.readouterr().out
    assert code == 0 and listing(out) == ["log.json", "norms.png"]
    assert "best.pt" not in printed and str(out / "log.json") in printed
    log = strict_json((out / "log.json").read_text())
    assert log["diverged_at"] == 2 and log["test_accuracy"] is None


def test_the_empty_string_is_not_an_out_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, err = call(capsys, *TINY, "--out", "")
    assert code == 2 and err.startswith("error: ") and "--out" in err and listing(tmp_path) == []


def out_path(tmp_path, kind):
    if kind == "a file":
        (tmp_path / "f").write_text("x")
        return tmp_path / "f"
    if kind == "under a file":
        (tmp_path / "f").write_text("x")
        return tmp_path / "f" / "run"
    return {"/proc": "/proc/labkit-test/run", "/dev/null": "/dev/null", "/": "/"}[kind]


@pytest.mark.parametrize("kind", ["a file", "under a file", "/proc", "/dev/null", "/"])
def test_an_odd_out_is_an_error_before_training(tmp_path, capsys, kind):
    out = out_path(tmp_path, kind)
    started = time.perf_counter()
    code, err = call(capsys, *TINY, "--out", str(out))
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err
    assert "train:" not in err and time.perf_counter() - started < 5  # refused before any training


def data_dir(tmp_path, kind):
    root = tmp_path / "data"
    if kind != "missing":
        write_digit_sum(root, length=5)
    train_file = root / "5" / "train.txt"
    if kind == "a file":
        root = tmp_path / "plain"
        root.write_text("x")
    elif kind == "no length folder":
        (root / "5").rename(root / "6")
    elif kind == "malformed line":
        train_file.write_text(train_file.read_text().replace("\t", " ", 1))
    elif kind == "empty train file":
        train_file.write_text("")
    elif kind == "train file is a folder":
        train_file.unlink()
        train_file.mkdir()
    elif kind == "unreadable bytes":
        train_file.write_bytes(b"\xff\xfe" + train_file.read_bytes())
    elif kind == "dev of another length":
        write_digit_sum(tmp_path / "other", length=10)
        (tmp_path / "other" / "10" / "dev.txt").replace(root / "5" / "dev.txt")
    return root


@pytest.mark.parametrize("kind, problem", [
    ("missing", "No such file"), ("a file", "Not a directory"), ("no length folder", "No such file"),
    ("malformed line", "train.txt:1: missing tab"), ("empty train file", "no examples"),
    ("train file is a folder", "Is a directory"), ("unreadable bytes", "train.txt:1:"),
    ("dev of another length", "dev.txt:1: sequence has 10 digits, expected 5")])
def test_a_bad_data_dir_is_an_error_and_leaves_no_folder(tmp_path, capsys, kind, problem):
    root = data_dir(tmp_path, kind)
    code, err = call(capsys, *TINY, "--data-dir", str(root), "--out", str(tmp_path / "a" / "b" / "run"))
    assert code == 2 and err.startswith("error: ") and problem in err, err
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("flag, value", [
    ("--seed", "-1"), ("--seed", str(2**63)), ("--seed", str(2**64)), ("--data-seed", "-3"),
    ("--lr", "inf"), ("--lr", "nan"), ("--max-norm", "inf"), ("--max-norm", "nan"),
    ("--batch-size", str(10**12)), ("--data-dir", "")])
def test_an_out_of_range_value_is_an_error(tmp_path, capsys, flag, value):
    code, err = call(capsys, "train", "--length", "5", "--epochs", "1", flag, value, "--out", str(tmp_path / "run"))
    assert code == 2 and err.startswith("error: ") and flag.lstrip("-").replace("-", "_") in err.replace("-", "_")
    assert listing(tmp_path) == []


def ctrl_c_as_in_a_terminal() -> None:
    """In the child, before it starts: SIGINT's default action (a test run started in the background
    of a shell inherits "ignore SIGINT", and Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_and_keeps_a_partial_log(tmp_path):
    out = tmp_path / "run"
    process = subprocess.Popen([sys.executable, "-m", "labkit", "train", "--length", "5", "--epochs", "100000",
                                "--eval-steps", "5", "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.monotonic() + 600  # seconds here; minutes on a loaded machine (CI ran out at 120)
    while not list(tmp_path.glob("*run*/best.pt")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)  # until the first checkpoint is written
    if not list(tmp_path.glob("*run*/best.pt")):
        process.kill()
        pytest.fail(f"no checkpoint before the deadline (exit code {process.poll()}): {process.communicate()[1]}")
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "error: interrupted" in stderr
    log = strict_json((out / "log.json").read_text())
    steps = log["interrupted_after_step"]
    assert steps >= 5 and len(log["step_losses"]) == len(log["grad_norms"]["pre"]["rnn_model.U"]) == steps
    assert log["dev_scores"][0][0] == 5 and log["test_accuracy"] is None
    assert listing(out) == ["best.pt", "log.json"] and listing(tmp_path) == ["run"]
    load_checkpoint(RNNClassifier(), out / "best.pt")


@pytest.mark.parametrize("force", [False, True])
def test_two_runs_into_one_out_do_not_mix(tmp_path, force):
    out = tmp_path / "run"
    args = [sys.executable, "-m", "labkit", *TINY, "--epochs", "6", "--out", str(out)] + (["--force"] if force else [])
    runs = [subprocess.Popen([*args, "--seed", str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for seed in (0, 1)]
    results = [(r.wait(timeout=300), r.stderr.read()) for r in runs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2] or (force and codes == [0, 0]), results  # one wins or one refuses; with --force both may win
    assert all("error: " in err and "Traceback" not in err for code, err in results if code == 2)
    assert listing(tmp_path) == ["run"] and listing(out) == ["best.pt", "log.json", "norms.png"]
    seed = strict_json((out / "log.json").read_text())["config"]["seed"]
    assert results[seed][0] == 0  # the log is a winner's ...
    reference = train(TrainConfig(length=5, epochs=6, eval_steps=5, seed=seed), save_path=tmp_path / "ref.pt")
    ours = torch.load(out / "best.pt", weights_only=True)  # ... and so is the checkpoint
    assert all(torch.equal(ours[k], v) for k, v in torch.load(tmp_path / "ref.pt", weights_only=True).items())
    assert strict_json((out / "log.json").read_text())["best_dev_accuracy"] == reference.best_dev_accuracy


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_an_error_not_a_traceback(tmp_path):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "labkit", *TINY, "--out", str(tmp_path / "run")],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 1 and "error: cannot write to standard output" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert listing(tmp_path / "run") == ["best.pt", "log.json", "norms.png"]  # the run itself is complete
