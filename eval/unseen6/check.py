"""Self-check of eval/unseen6 questions: JSON keys, ids, gold quotes, deadlines, tags, absent topics.

Independent of the project's loaders on purpose (the set must not depend on parser code): a document's lines
are the file's own lines. Usage: python eval/unseen6/check.py  -> prints OK or one line per problem.
"""
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
QKEYS = {'id', 'question', 'intent', 'answerable', 'tags', 'gold'}
GKEYS = {'doc', 'quote', 'section', 'lead', 'support', 'deadline', 'deadline_years', 'recurring'}
INTENTS = {'lead', 'support', 'deadline', 'agency_tasks', 'lookup', 'fact'}
TAGS = {'no_diacritics', 'abbrev', 'paraphrase', 'cross_doc', 'clean'}
# Words that make each unanswerable question a near miss; none may occur in any document (folded),
# so that a later edit of a document cannot silently make the question answerable.
ABSENT = {
    'z031': ['giao duc', 'gddt'], 'z032': ['lu quet', 'sat lo'], 'z033': ['bao lanh'],
    'z034': ['don thuoc', 'nha thuoc'], 'z035': ['quan ly duoc'], 'z036': ['quoc te'],
    'z037': ['tieng trung', 'logistics'], 'z038': ['ca cap cuu', 'so ca'], 'z039': ['duong sat'],
    'z040': ['phao hoa', 'giao thua'],
}


def fold(s):
    s = s.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn').lower()


def load(doc):
    with open(os.path.join(HERE, 'docs', doc), encoding='utf-8', newline='') as f:
        text = f.read()
    return text, text.split('\n')


def main():
    bad = []
    docs = {d: load(d) for d in sorted(os.listdir(os.path.join(HERE, 'docs')))}
    for d, (text, _) in docs.items():
        if '\r' in text or not text.endswith('\n'):
            bad.append(d + ': not LF-terminated text')
    folded_all = ' '.join(fold(t) for t, _ in docs.values())
    with open(os.path.join(HERE, 'questions.jsonl'), encoding='utf-8') as f:
        questions = [json.loads(row) for row in f]
    for i, q in enumerate(questions, 1):
        qid = q.get('id')
        if qid != f'z{i:03d}':
            bad.append(f'line {i}: id {qid} out of sequence')
        if set(q) != QKEYS:
            bad.append(f'{qid}: keys {sorted(set(q) ^ QKEYS)}')
            continue
        if q['intent'] not in INTENTS or not set(q['tags']) <= TAGS:
            bad.append(qid + ': unknown intent or tag')
        if q['answerable'] != bool(q['gold']):
            bad.append(qid + ': answerable/gold mismatch')
        if ('no_diacritics' in q['tags']) != (q['question'] == _strip(q['question'])):
            bad.append(qid + ': no_diacritics tag disagrees with the text')
        if q['answerable'] != ('clean' in q['tags']):
            bad.append(qid + ': clean tag on an unanswerable question or missing')
        if ('cross_doc' in q['tags']) != (len({g['doc'] for g in q['gold']}) > 1):
            bad.append(qid + ': cross_doc tag disagrees with the gold')
        if not q['answerable'] and not any(w in fold(q['question']) for w in ABSENT.get(qid, [])):
            bad.append(qid + ': unanswerable without its absent words')
        for w in ABSENT.get(qid, []):
            if w in folded_all:
                bad.append(f'{qid}: "{w}" occurs in a document')
        for g in q['gold']:
            if set(g) != GKEYS or g['doc'] not in docs:
                bad.append(qid + ': bad gold entry')
                continue
            lines = docs[g['doc']][1]
            hits = [n for n, line in enumerate(lines) if g['quote'] in line]
            if len(hits) != 1 or not 15 <= len(g['quote']) <= 80:
                bad.append(f"{qid}: quote found on {len(hits)} lines (or bad length)")
                continue
            if not g['lead']:
                bad.append(qid + ': gold without lead')
            # a table row prints its deadline a few cells after the task text
            near = ' '.join(lines[hits[0]:hits[0] + 4]).lower()
            if g['deadline'] and g['deadline'].lower() not in near:
                bad.append(qid + ': deadline not printed at its task')
            years = g['deadline_years']
            if years is not None and (not g['deadline'] or any(
                    y is not None and str(y) not in g['deadline'] for y in years)):
                bad.append(qid + ': deadline_years not in the deadline')
            if g['deadline'] is None and (years or g['recurring']):
                bad.append(qid + ': years/recurring without deadline')
    if not bad:
        print(f'OK ({len(docs)} docs, {len(questions)} questions)')
        return 0
    print('\n'.join(bad))
    return 1


def _strip(s):
    s = s.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(c for c in unicodedata.normalize('NFD', s) if unicodedata.category(c) != 'Mn')


if __name__ == '__main__':
    sys.exit(main())
