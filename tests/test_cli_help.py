"""The command's frame in Vietnamese: help of every subcommand, usage errors, library noise."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest

from kehoach import cli, cli_vi

ENGLISH = ("usage:", "positional arguments", "optional arguments", "options:", "show this help",
           "show program's version", "error:", "the following arguments are required", "invalid choice")


def subcommands() -> list[str]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "cmd")
    return sorted(action.choices)


def help_text(*argv: str, capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main([*argv, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_every_subcommand_exists_in_the_list():
    assert {"ask", "search", "tasks", "serve", "index"} <= set(subcommands())


@pytest.mark.parametrize("cmd", [None, *subcommands()])
def test_help_is_vietnamese_explains_every_option_and_shows_examples(cmd, capsys):
    out = help_text(*([cmd] if cmd else []), capsys=capsys)
    low = out.lower()
    assert not [w for w in ENGLISH if w in low], out
    assert out.startswith("cách dùng: kehoach") and "hiện trợ giúp này và thoát" in out
    parser = cli.build_parser()
    if cmd:
        parser = next(a for a in parser._actions if a.dest == "cmd").choices[cmd]
        assert "ví dụ:\n  kehoach " + cmd in out
    for action in parser._actions:
        assert action.help, f"{cmd}: {action.option_strings or action.dest} has no help"


def test_plain_kehoach_prints_usage_and_a_hint(capsys):
    assert cli.main([]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("cách dùng: kehoach") and "thiếu lệnh" in err and 'kehoach ask "' in err


@pytest.mark.parametrize("argv, words", [
    (["restore"], "thiếu đối số bắt buộc: TỆP"),
    (["search", "x", "-k", "abc"], "cần số nguyên, không phải 'abc'"),
    (["ask", "-k"], "cần một giá trị"),
    (["search", "x", "--mode", "fast"], "lựa chọn không hợp lệ"),
    (["tasks", "--csv", "a.csv", "--xlsx", "b.xlsx"], "không dùng cùng với"),
    (["nope"], "lựa chọn không hợp lệ"),
])
def test_usage_errors_are_vietnamese_with_exit_2(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "lỗi:" in err and "error" not in err and "usage" not in err


def test_home_before_or_after_the_command():
    p = cli.build_parser()
    assert p.parse_args(["--home", "/a", "model"]).home == "/a"
    assert p.parse_args(["model", "--home", "/b"]).home == "/b"
    assert p.parse_args(["ask", "-v", "x"]).verbose is True
    assert p.parse_args(["ask", "x"]).verbose is False


@pytest.mark.parametrize("line, noise", [
    ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n", True),
    ("normalizer.cc(51) LOG(INFO) Loading CharsMap\n", True),
    ("Loading CharsMap\n", True),
    ("I0000 00:00:1795801635.601295    7289 builder.cc:183] Loading CharsMap of size=2\n", True),
    ("I0000 00:00:1795801635.601394    7289 builder.cc:249] Generated normalizer blob. size=1033\n", True),
    ("Batches: 100%|██████████| 8/8 [00:30<00:00,  3.80s/it]\n", True),
    ("Đã xây dựng chỉ mục: 5 văn bản\n", False),
    ("Lỗi: Không mở được tệp\n", False),
])
def test_noise_lines(line, noise):
    assert cli_vi.is_noise(line) is noise


def test_the_command_drops_library_noise_unless_verbose(tmp_path):
    # A stand-in for a C++ library writing to fd 2 after the CLI started.
    script = ("import os, sys\n"
              "from kehoach import cli_vi\n"
              "if '-v' not in sys.argv: cli_vi.quiet_libraries()\n"
              "os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written\\n')\n"
              "os.write(2, b'Loading CharsMap\\n')\n"
              "sys.stderr.write('\\u0110\\u00e3 xong.\\n')\n")
    quiet = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert quiet.stderr == "Đã xong.\n"
    loud = subprocess.run([sys.executable, "-c", script, "-v"], capture_output=True, text=True, timeout=60)
    assert "absl::InitializeLog" in loud.stderr and "Loading CharsMap" in loud.stderr


def test_progress_lines_rewritten_with_cr_pass_through_at_once():
    script = ("import os, sys, time\n"
              "from kehoach import cli_vi\n"
              "cli_vi.quiet_libraries()\n"
              "sys.stderr.write('\\r1/2'); sys.stderr.flush()\n"
              "time.sleep(3)\n"
              "os.write(2, b'Batches: 50%|##   | 1/2\\r')\n"
              "sys.stderr.write('\\r2/2\\n')\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
    try:
        early, deadline = b"", time.monotonic() + 2.5   # before the script's sleep ends
        while early != b"\r1/2" and time.monotonic() < deadline:
            if select.select([proc.stderr], [], [], 0.1)[0]:
                early += os.read(proc.stderr.fileno(), 100)
        assert early == b"\r1/2"
        rest = proc.stderr.read()
    finally:
        proc.wait(30)
    assert rest == b"\r2/2\n"
