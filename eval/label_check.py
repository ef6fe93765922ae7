"""Self-check of a labelled set written by an independent author (eval/unseen, unseen2 … unseen5): JSON, spans
inside files, quotes, deadlines, question gold, split and layout names, meta.jsonl covering docs/.

Independent of the project's loaders on purpose (a set must not depend on parser code):
.txt lines are the file's lines; .docx lines are body paragraphs and non-empty table-cell paragraphs in
document order, a merged cell once. Usage: python eval/label_check.py eval/unseen4  -> prints OK or the problems.
"""
import json
import os
import re
import sys

HERE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.getcwd()
SET = os.path.basename(HERE.rstrip(os.sep))
W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'


def _docx_lines(path):
    from docx import Document
    from docx.text.paragraph import Paragraph
    d = Document(path)
    out = []
    for el in d.element.body.iterchildren():
        if el.tag == W + 'p':
            out.append(Paragraph(el, d).text)
        elif el.tag == W + 'tbl':
            for tr in el.iter(W + 'tr'):
                for tc in tr.findall(W + 'tc'):
                    for p in tc.findall(W + 'p'):
                        t = Paragraph(p, d).text
                        if t.strip():
                            out.append(t)
    return out


def load(doc):
    path = os.path.join(HERE, 'docs', doc)
    if doc.endswith('.docx'):
        return _docx_lines(path)
    with open(path, encoding='utf-8', newline='') as f:
        return f.read().replace('\r\n', '\n').split('\n')


def main():
    bad = []
    docs = {d: load(d) for d in sorted(os.listdir(os.path.join(HERE, 'docs')))}
    with open(os.path.join(HERE, 'tasks.jsonl'), encoding='utf-8') as f:
        tasks = [json.loads(row) for row in f]
    keys = {'doc', 'section', 'lines', 'quote', 'lead', 'support', 'deadline', 'due', 'recurring',
            'complete_doc', 'split', 'layout', 'note'}
    for i, t in enumerate(tasks, 1):
        where = f"task {i} ({t.get('doc')} {t.get('lines')})"
        if set(t) != keys:
            bad.append(where + ': keys ' + str(sorted(set(t) ^ keys)))
            continue
        L = docs.get(t['doc'])
        if L is None:
            bad.append(where + ': unknown doc')
            continue
        a, b = t['lines']
        if not (1 <= a <= b <= len(L)):
            bad.append(where + f': span outside file ({len(L)} lines)')
            continue
        span = L[a - 1:b]
        if not any(t['quote'] in line for line in span) or len(t['quote']) > 80:
            bad.append(where + ': quote not on a line of the span')
        if not t['lead']:
            bad.append(where + ': no lead')
        if t['deadline'] and t['deadline'].lower() not in ' '.join(span).lower():
            bad.append(where + ': deadline not in span')
        if t['due'] and (not re.fullmatch(r'20\d\d-\d\d-\d\d', t['due']) or not t['deadline']):
            bad.append(where + ': bad due')
        if t['deadline'] is None and (t['due'] or t['recurring']):
            bad.append(where + ': due/recurring without deadline')
    layouts = {'agency_blocks', 'inline', 'flat_table', 'docx_table', 'field_labels'}
    for i, t in enumerate(tasks, 1):
        if t.get('split') != SET or t.get('layout') not in layouts or t.get('complete_doc') is not True:
            bad.append(f"task {i}: split/layout/complete_doc")
    for d in docs:
        if not any(t.get('doc') == d for t in tasks):
            bad.append(d + ': no task')
    with open(os.path.join(HERE, 'meta.jsonl'), encoding='utf-8') as f:
        meta = [json.loads(row) for row in f]
    if sorted(m['doc'] for m in meta) != sorted(docs):
        bad.append('meta.jsonl: documents differ from docs/')
    spans = {}
    for t in tasks:
        for n in range(t['lines'][0], t['lines'][1] + 1):
            if (t['doc'], n) in spans:
                bad.append(f"overlapping spans at {t['doc']}:{n}")
            spans[(t['doc'], n)] = t
    with open(os.path.join(HERE, 'questions.jsonl'), encoding='utf-8') as f:
        questions = [json.loads(row) for row in f]
    prefix = questions[0]['id'][:1] if questions else ''
    if [q['id'] for q in questions] != [f'{prefix}{n:03d}' for n in range(1, len(questions) + 1)]:
        bad.append(f'question ids are not {prefix}001, {prefix}002, ...')
    for q in questions:
        if q['answerable'] != bool(q['gold']):
            bad.append(q['id'] + ': answerable/gold mismatch')
        if ('no_diacritics' in q['tags']) != (q['question'] == _strip(q['question'])):
            bad.append(q['id'] + ': no_diacritics tag disagrees with the text')
        for g in q['gold']:
            L = docs[g['doc']]
            hits = [n for n, line in enumerate(L, 1) if g['quote'] in line]
            if len(hits) != 1 or not 15 <= len(g['quote']) <= 80:
                bad.append(f"{q['id']}: quote found on {len(hits)} lines")
                continue
            t = spans.get((g['doc'], hits[0]))
            if t is None:
                bad.append(q['id'] + ': quote outside every task span')
                continue
            for k in ('section', 'lead', 'support', 'deadline', 'recurring'):
                if g[k] != t[k]:
                    bad.append('{}: gold {} differs from its task'.format(q['id'], k))
    print('\n'.join(bad) if bad else f'OK ({len(docs)} docs, {len(tasks)} tasks)')
    return 1 if bad else 0


def _strip(s):
    import unicodedata
    s = s.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn')


if __name__ == '__main__':
    sys.exit(main())
