"""`python -m labkit train` end to end, in a subprocess as a user would run it."""
import json
import subprocess
import sys

import torch

from labkit import RNNClassifier, load_checkpoint


def run(*args):
    return subprocess.run([sys.executable, "-m", "labkit", *args], capture_output=True, text=True, timeout=300)


def test_train_writes_norms_log_and_checkpoint(tmp_path):
    out = tmp_path / "run"
    done = run("train", "--length", "10", "--epochs", "4", "--lr", "0.2", "--max-norm", "20",
               "--clip-mode", "global", "--seed", "0", "--out", str(out))
    assert done.returncode == 0, done.stderr
    log = json.loads((out / "log.json").read_text())
    assert log["config"]["max_norm"] == 20 and log["config"]["length"] == 10
    assert len(log["grad_norms"]["pre"]["rnn_model.U"]) == len(log["step_losses"]) == 20
    assert max(log["grad_norms"]["post"]["rnn_model.U"]) <= 20 * (1 + 1e-5)
    assert (out / "norms.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    model = load_checkpoint(RNNClassifier(), out / "best.pt")
    assert torch.isfinite(model.rnn_model.U).all()
    assert "test acc" in done.stdout


def test_bad_values_exit_2_with_a_message(tmp_path):
    done = run("train", "--lr", "-0.1", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "lr must be > 0" in done.stderr
    done = run("train", "--length", "12", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "invalid choice" in done.stderr
