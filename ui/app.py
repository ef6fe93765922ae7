"""The Gradio Blocks page, in Vietnamese: ask, read the source, list an agency's tasks.

`build_app(engine, cfg)` takes the engine as a parameter so tests can inject a
fake; it never loads a model itself. All text from questions and plans reaches
the page either escaped (`render`) or through components that show plain text.
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from kehoach.corpus.agency_keys import HOME_PROVINCE
from kehoach.config import Config
from kehoach.ui.columns import RESULT_COLUMNS, TASK_COLUMNS, excel_widths, short_names, widths
from kehoach.ui.export import write_exports
from kehoach.ui.gradio_vi import agency_choices, translate_js
from kehoach.ui.inputs import K_MAX, K_MIN, YEAR_MAX, YEAR_MIN, InputError, check_filters, check_k, check_question
from kehoach.qa.status import STATUSES, WORDS, parse_date
from kehoach.ui.render import (RESULT_HEADERS, STATUS_COLOURS, TASK_HEADERS, answer_html, documents_html,
                               followup_summary, message_html, result_rows, source_html, task_rows)

log = logging.getLogger(__name__)

# The engine is thread-safe; on 2 cores a few questions at once keep both busy without
# one user's burst starving the rest. Every engine call of the page shares this group.
ENGINE_CONCURRENCY = 4
QUEUE_MAX_SIZE = 64
CSS_PATH = Path(__file__).parent / "static" / "kehoach.css"
# The deployment's province is data (corpus/agencies.json), like everything else about it.
TITLE = f"Tra cứu kế hoạch tỉnh {HOME_PROVINCE}"
EXAMPLES = [
    "Sở nào chủ trì giáo dục STEM?",
    "hạn chót xây dựng trung tâm dữ liệu?",
    "Sở TTTT phải làm gì về chuyển đổi số?",
    "co quan nao phoi hop dao tao nghe?",
]
_ENGINE = {"concurrency_limit": ENGINE_CONCURRENCY, "concurrency_id": "engine"}
_UI_ONLY = {"api_visibility": "private"}


def _results_frame(rows: list[list[str]], headers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers)


def _status_coloured(frame: pd.DataFrame):
    """The task table with its status cells coloured (quá hạn red, đến hạn orange, ...)."""
    def paint(col: pd.Series) -> list[str]:
        return [f"background-color: {STATUS_COLOURS[v]}" if v in STATUS_COLOURS else "" for v in col]
    return frame.style.apply(paint, subset=["Trạng thái"])


def build_app(engine: Any, cfg: Config | None = None, export_dir: Path | None = None) -> gr.Blocks:
    cfg = cfg or engine.cfg
    plans = engine.documents()
    doc_names = {p.doc for p in plans}
    names = short_names(plans)
    agencies = agency_choices(engine.agencies(), getattr(engine, "directory", None))
    export_root = export_dir or Path(tempfile.gettempdir()) / "kehoach-exports"

    def checked(question: Any, k: Any, filters: Any) -> tuple[str, int, dict | None]:
        return (check_question(question, cfg.max_question_chars), check_k(k, cfg.k),
                check_filters(filters, doc_names))

    def show_source(result: dict, question: str) -> str:
        try:
            src = engine.source(result["doc"], result["lines"])
        except Exception:  # noqa: BLE001 - a missing passage must not break the answer
            log.exception("source %s %s", result.get("doc"), result.get("lines"))
            return message_html("Không mở được đoạn văn bản gốc.", "error")
        return source_html(src, question, result["lines"])

    def ask_ui(question: str, doc: str | None, agency: str | None, year_from: float | None,
               year_to: float | None, k: float):
        empty = _results_frame([], RESULT_HEADERS)
        try:
            q, kk, filters = checked(question, k, {"doc": doc, "agency": agency, "year_from": year_from,
                                                   "year_to": year_to})
        except InputError as err:
            return answer_html({"question": question or "", "error": str(err)}), empty, None, ""
        try:
            ans = engine.ask(q, k=kk, filters=filters).to_dict()
        except Exception:  # noqa: BLE001 - the user gets a sentence, the log the traceback
            log.exception("ask failed: %r", q)
            return answer_html({"question": q, "error": "Lỗi máy chủ khi trả lời."}), \
                empty, None, ""
        results = ans.get("results") or []
        first = show_source(results[0], q) if results else ""
        return (answer_html(ans, names), _results_frame(result_rows(results, names), RESULT_HEADERS),
                {"question": q, "results": results}, first)

    def select_result(state: dict | None, evt: gr.SelectData) -> str:
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not state or not isinstance(index, int) or not 0 <= index < len(state["results"]):
            return ""
        return show_source(state["results"][index], state["question"])

    def agency_tasks(agency: str | None, statuses: list[str] | None = None, as_of: str | None = None):
        hidden = gr.DownloadButton(visible=False)
        name = (agency or "").strip()
        if not name:
            return (message_html("Chọn hoặc gõ tên một cơ quan."), _results_frame([], TASK_HEADERS),
                    hidden, hidden)
        if len(name) > 200:
            return (message_html("Tên cơ quan quá dài.", "error"),
                    _results_frame([], TASK_HEADERS), hidden, hidden)
        try:
            day = parse_date((as_of or "").strip() or None)
        except ValueError as err:
            return message_html(str(err), "error"), _results_frame([], TASK_HEADERS), hidden, hidden
        try:
            tasks = engine.tasks_for_agency(name, as_of=day.isoformat(), status=statuses or None)
        except Exception:  # noqa: BLE001
            log.exception("tasks_for_agency %r", name)
            return (message_html("Lỗi máy chủ khi tra nhiệm vụ.", "error"),
                    _results_frame([], TASK_HEADERS), hidden, hidden)
        if not tasks:
            return (message_html(f"Không có nhiệm vụ nào của “{name}” trong các văn bản đã lập chỉ mục."),
                    _results_frame([], TASK_HEADERS), hidden, hidden)
        summary = followup_summary(name, tasks, day)
        csv_path, xlsx_path = write_exports(export_root, name, TASK_HEADERS, task_rows(tasks, names, clip=False),
                                            excel_widths(TASK_COLUMNS))
        return (message_html(summary), _status_coloured(_results_frame(task_rows(tasks, names), TASK_HEADERS)),
                gr.DownloadButton(value=str(csv_path), visible=True),
                gr.DownloadButton(value=str(xlsx_path), visible=True))

    def ask(question: str, k: int = 10, filters: dict | None = None) -> dict:
        """Hỏi đáp trên các kế hoạch; trả về đúng hợp đồng JSON của `kehoach ask --json`.

        Args:
            question: câu hỏi tiếng Việt, có dấu hoặc không dấu.
            k: số kết quả (1-50).
            filters: {"doc", "agency", "year_from", "year_to", "status", "as_of"}, mỗi khoá có thể bỏ trống.
        """
        try:
            q, kk, flt = checked(question, k, filters)
        except InputError as err:
            # A refused question is the client's mistake: one line in the log, no traceback.
            log.warning("câu hỏi bị từ chối: %s", err)
            raise gr.Error(str(err), title="Không hợp lệ", print_exception=False) from None
        try:
            return engine.ask(q, k=kk, filters=flt).to_dict()
        except Exception:  # noqa: BLE001 - API clients get a Vietnamese sentence, never the English exception
            log.exception("api ask failed: %r", q)
            raise gr.Error("Lỗi máy chủ khi trả lời câu hỏi.", title="Lỗi", print_exception=False) from None

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(f"## {TITLE}\nHỏi bằng tiếng Việt, có dấu hoặc không dấu. Câu trả lời kèm văn bản "
                    "và số dòng để kiểm tra lại.")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="ask"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="Câu hỏi", placeholder="Ví dụ: Sở nào chủ trì giáo dục STEM?",
                                          scale=6, elem_id="kh-question", autofocus=True)
                    ask_btn = gr.Button("Tìm", variant="primary", scale=1, min_width=80, elem_id="kh-ask")
                gr.Examples(examples=[[e] for e in EXAMPLES], inputs=[question], label="Câu hỏi mẫu")
                with gr.Accordion("Bộ lọc", open=False):
                    with gr.Row():
                        doc = gr.Dropdown(choices=[("Tất cả văn bản", "")] + [(names[p.doc], p.doc) for p in plans],
                                          value="", label="Văn bản", scale=3)
                        agency = gr.Dropdown(choices=[("", ""), *agencies], value="", label="Cơ quan",
                                             allow_custom_value=True, scale=3,
                                             info="Chọn trong danh sách hoặc gõ tên, tên viết tắt (Sở TTTT).")
                    with gr.Row():
                        year_from = gr.Number(label="Từ năm", precision=0, minimum=YEAR_MIN, maximum=YEAR_MAX)
                        year_to = gr.Number(label="Đến năm", precision=0, minimum=YEAR_MIN, maximum=YEAR_MAX)
                        k = gr.Slider(K_MIN, K_MAX, value=cfg.k, step=1, label="Số kết quả")
                answer = gr.HTML(elem_id="kh-answer")
                table = gr.Dataframe(value=_results_frame([], RESULT_HEADERS), headers=RESULT_HEADERS,
                                     datatype="str", interactive=False, wrap=True, elem_id="kh-results",
                                     label="Kết quả — bấm vào một dòng để xem đoạn văn bản gốc",
                                     column_widths=widths(RESULT_COLUMNS))
                source = gr.HTML(elem_id="kh-source")
                state = gr.State()
            with gr.Tab("Nhiệm vụ theo cơ quan", id="agency"):
                with gr.Row(equal_height=True):
                    who = gr.Dropdown(choices=agencies, value=None, label="Cơ quan",
                                      allow_custom_value=True, scale=5, elem_id="kh-agency",
                                      info="Gõ để lọc danh sách: tên hoặc tên viết tắt (Sở TTTT), rồi Enter.")
                    show_btn = gr.Button("Xem nhiệm vụ", variant="primary", scale=1, min_width=80)
                with gr.Row():
                    status_pick = gr.Dropdown(choices=[(WORDS[s], s) for s in STATUSES], value=[], multiselect=True,
                                              label="Trạng thái", scale=3, elem_id="kh-status",
                                              info="Để trống: mọi trạng thái.")
                    as_of_box = gr.Textbox(label="Tính đến ngày", placeholder="YYYY-MM-DD (trống: hôm nay)",
                                           scale=2, elem_id="kh-as-of")
                summary = gr.HTML(elem_id="kh-agency-summary")
                with gr.Row():
                    csv_btn = gr.DownloadButton("Tải CSV", visible=False, size="sm")
                    xlsx_btn = gr.DownloadButton("Tải Excel", visible=False, size="sm")
                tasks = gr.Dataframe(value=_results_frame([], TASK_HEADERS), headers=TASK_HEADERS,
                                     datatype="str", interactive=False, wrap=True, label="Nhiệm vụ",
                                     elem_id="kh-tasks", column_widths=widths(TASK_COLUMNS))
        gr.HTML(documents_html(plans, names), elem_id="kh-footer")
        gr.HTML("", js_on_load=translate_js(), elem_id="kh-vi", container=False, padding=False)

        inputs = [question, doc, agency, year_from, year_to, k]
        outputs = [answer, table, state, source]
        for trigger in (ask_btn.click, question.submit):
            trigger(ask_ui, inputs, outputs, **_ENGINE, **_UI_ONLY)
        table.select(select_result, [state], [source], **_ENGINE, **_UI_ONLY)
        for trigger in (show_btn.click, who.select):
            trigger(agency_tasks, [who, status_pick, as_of_box], [summary, tasks, csv_btn, xlsx_btn], **_ENGINE,
                    **_UI_ONLY)
        gr.api(ask, api_name="ask", **_ENGINE)
    demo.queue(max_size=QUEUE_MAX_SIZE, default_concurrency_limit=ENGINE_CONCURRENCY)
    return demo


def page_css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def page_theme() -> gr.themes.Base:
    """Gradio's default theme on a font that has every letter in every weight used.

    Gradio's bundled Source Sans Pro SemiBold (weight 600, every bold label) is a 55-glyph
    subset whose "B" is a small capital, and Vietnamese letters fall back to another font:
    "UBND" showed as "UʙND". The Regular and Bold files it ships are complete (Vietnamese
    included; SIL OFL 1.1), so the theme declares only those two and weight 600 is drawn
    from Bold. The faces live in the theme's own stylesheet, so their URLs resolve under the
    app's path even when the page is embedded elsewhere (<gradio-app>); nothing is fetched
    from outside the server.
    """
    return gr.themes.Default(font=[gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)),
                                   "DejaVu Sans", "ui-sans-serif", "system-ui", "sans-serif"])
