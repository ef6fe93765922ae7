"""The `kehoach` command.

Heavy imports (torch, faiss, gradio) happen inside the sub-commands that need
them, so `kehoach tasks` and an up-to-date `kehoach index` stay fast.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys

from kehoach import __version__, cli_vi
from kehoach.cli_common import EXIT_FAIL, EXIT_USAGE, _cfg, _err
from kehoach.cli_corpus import _task_filter, cmd_agencies, cmd_report, cmd_restore, cmd_tasks  # noqa: F401
from kehoach.cli_query import cmd_ask, cmd_eval, cmd_index, cmd_model, cmd_search, cmd_serve

# ---- parser -----------------------------------------------------------------------------

HINT = ('Gõ "kehoach LỆNH -h" để xem cách dùng một lệnh. Ví dụ:\n'
        '  kehoach ask "Sở nào chủ trì giáo dục STEM?"')


def _examples(*lines: str) -> str:
    return "ví dụ:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> argparse.ArgumentParser:
    p = cli_vi.VietnameseParser(
        prog="kehoach", description="Tìm kiếm và hỏi đáp trên các kế hoạch, chỉ thị, quyết định của tỉnh.",
        epilog=HINT)
    p.add_argument("--version", action="version", version=f"kehoach {__version__}",
                   help="in số phiên bản rồi thoát")
    # Options every command takes; SUPPRESS keeps a value given before the command.
    common = cli_vi.VietnameseParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, metavar="THƯ_MỤC",
                        help="thư mục dữ liệu: mô hình, chỉ mục (mặc định $KEHOACH_HOME hoặc ~/.cache/kehoach)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="hiện cả thông báo của các thư viện (tqdm, sentencepiece, absl)")
    p.add_argument("--home", metavar="THƯ_MỤC", help=common._option_string_actions["--home"].help)
    p.add_argument("-v", "--verbose", action="store_true", help=common._option_string_actions["-v"].help)
    sub = p.add_subparsers(dest="cmd", title="lệnh", metavar="LỆNH", parser_class=cli_vi.VietnameseParser,
                           help="một trong các lệnh dưới đây")

    def command(name: str, help: str, description: str, *examples: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=description, epilog=_examples(*examples),
                              parents=[common])

    def filters(sp):
        sp.add_argument("--doc", metavar="TỆP", help="chỉ trong văn bản này (tên tệp, hoặc phần đầu tên tệp)")
        sp.add_argument("--agency", metavar="CƠ_QUAN",
                        help="chỉ nhiệm vụ cơ quan này chủ trì hoặc phối hợp (tên đầy đủ hoặc viết tắt, "
                             "ví dụ \"Sở TTTT\")")
        sp.add_argument("--year", type=int, metavar="NĂM", help="chỉ nhiệm vụ có thời gian thực hiện gồm năm này")

    def follow(sp):
        sp.add_argument("--status", metavar="TRẠNG_THÁI",
                        help="lọc theo trạng thái thời hạn: overdue (quá hạn), due_this_year (đến hạn trong năm), "
                             "upcoming (còn hạn), recurring (thường xuyên), no_deadline (không nêu hạn); "
                             "nhiều trạng thái cách nhau bởi dấu phẩy")
        sp.add_argument("--as-of", dest="as_of", metavar="NGÀY",
                        help="tính trạng thái đến ngày này (YYYY-MM-DD; mặc định hôm nay)")

    def outputs(sp):
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        g.add_argument("--csv", metavar="TỆP", help="ghi ra tệp CSV (UTF-8, mở được bằng Excel)")
        g.add_argument("--xlsx", metavar="TỆP", help="ghi ra tệp Excel")

    sp = command("tasks", "liệt kê nhiệm vụ trong các văn bản",
                 "Liệt kê các nhiệm vụ (cơ quan chủ trì, phối hợp, thời gian) đọc được từ các văn bản.",
                 "kehoach tasks --agency \"Sở TTTT\"",
                 "kehoach tasks --year 2025 --xlsx nhiem-vu-2025.xlsx",
                 "kehoach tasks ke-hoach-cua-toi.docx --json")
    sp.add_argument("paths", nargs="*", metavar="TỆP",
                    help="văn bản cần đọc (.txt, .docx, .pdf); bỏ trống: các văn bản có sẵn")
    filters(sp)
    follow(sp)
    outputs(sp)
    sp.set_defaults(func=cmd_tasks)

    sp = command("agencies", "danh mục cơ quan và tên viết tắt",
                 "In danh mục cơ quan mà chương trình nhận ra (tên viết tắt, cơ quan kế thừa).",
                 "kehoach agencies", "kehoach agencies --unresolved --json")
    sp.add_argument("paths", nargs="*", metavar="TỆP", help="văn bản dùng cho --unresolved (mặc định: có sẵn)")
    sp.add_argument("--unresolved", action="store_true",
                    help="liệt kê các chuỗi cơ quan trong văn bản mà danh mục chưa nhận ra")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.set_defaults(func=cmd_agencies)

    sp = command("restore", "khôi phục dấu tiếng Việt cho văn bản OCR",
                 "Đọc lại văn bản quét (OCR) mất dấu và in bản có dấu ra màn hình.",
                 "kehoach restore van-ban-quet.txt --number", "kehoach restore ban-sach.txt --force")
    sp.add_argument("file", metavar="TỆP", help="văn bản cần khôi phục dấu")
    sp.add_argument("--number", action="store_true", help="in số dòng trước mỗi dòng")
    sp.add_argument("--force", action="store_true", help="khôi phục cả khi văn bản có vẻ không lỗi OCR")
    sp.add_argument("--no-marks", action="store_true",
                    help="không đánh dấu [?] sau các từ khôi phục chưa chắc")
    sp.set_defaults(func=cmd_restore)

    sp = command("model", "thông tin mô hình ngữ nghĩa",
                 "In tên, mã kiểm tra và kích thước của mô hình ngữ nghĩa đang dùng.",
                 "kehoach model", "kehoach model --json")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.set_defaults(func=cmd_model)

    sp = command("index", "xây dựng hoặc cập nhật chỉ mục",
                 "Đọc các văn bản và lập chỉ mục tìm kiếm; văn bản không đổi được dùng lại.",
                 "kehoach index", "kehoach index thu-muc-ke-hoach/ --force", "kehoach index --check")
    sp.add_argument("paths", nargs="*", metavar="TỆP",
                    help="văn bản hoặc thư mục cần lập chỉ mục; bỏ trống: các văn bản có sẵn")
    sp.add_argument("--force", action="store_true", help="lập lại toàn bộ chỉ mục, kể cả khi đã cập nhật")
    sp.add_argument("--check", action="store_true",
                    help="chỉ kiểm tra chỉ mục (tệp, mã kiểm tra, độ mới) và báo cáo, không sửa gì")
    sp.add_argument("-q", "--quiet", action="store_true", help="không in tiến trình")
    sp.set_defaults(func=cmd_index)

    sp = command("search", "tìm đoạn văn bản gần nghĩa nhất",
                 "Tìm các đoạn văn bản gần nghĩa với câu tìm kiếm (không soạn câu trả lời).",
                 "kehoach search \"chuyển đổi số\" -k 5", "kehoach search \"trung tam du lieu\" --mode lexical --json")
    sp.add_argument("query", metavar="CÂU_TÌM", help="nội dung cần tìm, có dấu hoặc không dấu")
    sp.add_argument("-k", type=int, default=10, metavar="SỐ", help="số đoạn trả về (mặc định 10)")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid",
                    help="cách tìm: hybrid (kết hợp, mặc định), dense (theo nghĩa), lexical (theo từ)")
    filters(sp)
    sp.set_defaults(func=cmd_search)

    sp = command("ask", "hỏi đáp trên các văn bản",
                 "Trả lời một câu hỏi (ai chủ trì, phối hợp, hạn khi nào, làm gì) kèm văn bản và số dòng.",
                 "kehoach ask \"Sở nào chủ trì giáo dục STEM?\"",
                 "kehoach ask \"han chot xay dung trung tam du lieu?\" --json",
                 "kehoach ask --batch cau-hoi.txt --json > tra-loi.jsonl")
    sp.add_argument("question", nargs="?", metavar="CÂU_HỎI", help="câu hỏi tiếng Việt, có dấu hoặc không dấu")
    sp.add_argument("-k", type=int, default=10, metavar="SỐ", help="số kết quả kèm theo câu trả lời (mặc định 10)")
    sp.add_argument("--json", action="store_true", help="in câu trả lời dạng JSON (hợp đồng của API)")
    sp.add_argument("--batch", metavar="TỆP",
                    help="mỗi dòng một câu hỏi (văn bản hoặc JSON có \"question\"); - là đầu vào chuẩn")
    filters(sp)
    sp.set_defaults(func=cmd_ask)

    sp = command("report", "bảng theo dõi thực hiện của một kế hoạch hoặc một cơ quan",
                 "In bảng theo dõi: nhiệm vụ, cơ quan chủ trì, cơ quan đang giữ nhiệm vụ, thời hạn, trạng thái "
                 "và báo cáo đã nêu kết quả.",
                 "kehoach report \"Sở Công Thương\" --as-of 2026-01-01",
                 "kehoach report 214/KH-UBND --status overdue --xlsx theo-doi.xlsx")
    sp.add_argument("target", metavar="KẾ_HOẠCH_HOẶC_CƠ_QUAN",
                    help="tên tệp, số kế hoạch (214/KH-UBND) hoặc tên cơ quan")
    follow(sp)
    outputs(sp)
    sp.set_defaults(func=cmd_report)

    sp = command("eval", "đánh giá trên bộ câu hỏi có đáp án",
                 "Chạy bộ câu hỏi có đáp án và ghi báo cáo độ chính xác.",
                 "kehoach eval eval/dev.jsonl", "kehoach eval eval/heldout.jsonl --no-baseline")
    sp.add_argument("gold", nargs="?", metavar="TỆP", help="tệp JSONL câu hỏi và đáp án (mặc định eval/dev.jsonl)")
    sp.add_argument("--out", metavar="THƯ_MỤC", help="thư mục báo cáo (mặc định eval/reports)")
    sp.add_argument("--calibrate", action="store_true", help="học lại ngưỡng/độ tin cậy và ghi qa/calibration.json")
    sp.add_argument("--tune-fusion", action="store_true", help="dò trọng số kết hợp và in bảng kết quả")
    sp.add_argument("--no-baseline", action="store_true", help="bỏ qua pipeline RAG so sánh")
    sp.set_defaults(func=cmd_eval)

    sp = command("serve", "chạy giao diện web và API",
                 "Chạy trang web hỏi đáp và API JSON (POST /api/ask) trên máy này.",
                 "kehoach serve", "kehoach serve --port 8080 --root-path /kehoach",
                 "kehoach serve --host 0.0.0.0 --auth-file tai-khoan.txt")
    sp.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                    help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để mở cho mạng nội bộ)")
    sp.add_argument("--port", type=int, default=7860, metavar="CỔNG", help="cổng (mặc định 7860)")
    sp.add_argument("--root-path", default="", metavar="ĐƯỜNG_DẪN",
                    help="tiền tố đường dẫn khi chạy sau proxy, ví dụ /kehoach")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--auth", metavar="TÊN:MẬT_KHẨU", help="bật đăng nhập HTTP Basic với một tài khoản")
    g.add_argument("--auth-file", metavar="TỆP", help="tệp tài khoản, mỗi dòng tên:mật_khẩu")
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None and not getattr(args, "verbose", False):
        # Only as the command itself: an in-process caller (tests, scripts) keeps its stderr.
        cli_vi.quiet_libraries()
    if args.cmd is None:
        parser.print_usage(sys.stderr)
        _err(f"kehoach: thiếu lệnh.\n{HINT}")
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("Đã dừng.")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            _err(f"Ổ đĩa đầy: không ghi được {exc.filename or 'dữ liệu'} (disk full). Hãy giải phóng dung lượng "
                 "rồi chạy lại.")
            return EXIT_FAIL
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        _err(f"Lỗi: {exc} ({type(exc).__name__}). Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết.")
        return EXIT_FAIL
    except Exception as exc:  # the user gets one clear line; KEHOACH_DEBUG=1 shows the traceback
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        if type(exc).__name__ in ("IndexError_", "DiskFull"):   # already one Vietnamese sentence
            from kehoach.index.store import IndexStore
            _err(f"{exc}{IndexStore(_cfg(args).index_dir).reindex_hint()}")
            return EXIT_FAIL
        _err(f"Lỗi: {exc} ({type(exc).__name__}). Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết.")
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
