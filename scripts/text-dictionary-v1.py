#!/usr/bin/env python3
"""How Sources/PaknStore/Resources/text-dictionary-v1.txt was made.

The file is FROZEN: stored text (event changes and notes, case bodies) is raw deflate
against it, marked by the format byte 1 (docs/data-model.md, "Stored text"). Changing one
byte of it would make every such value unreadable. Do not re-run this script to update it;
a better dictionary is a new file (text-dictionary-v2.txt), a new format byte, and both
kept forever. The script stays to show what v1 holds and why, and as the start of a v2.

It is built only from shipped reference data (reply templates, categories, departments,
unit type words, deadline rules) and the shape of the history's JSON, never from the demo
corpus, so the demo does not compress better than real petitions would. Deflate codes a
near match in fewer bits than a far one, so what is used most comes last.

Usage: scripts/text-dictionary-v1.py [Resources dir] > text-dictionary-v1.txt
"""
import json
import os
import sys

R = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'Sources', 'PaknStore', 'Resources')


def load(name):
    with open(os.path.join(R, name), encoding='utf-8') as f:
        return json.load(f)


templates = load('reply-templates.json')
categories = load('categories.json')
departments = load('departments.json')
rules = load('deadline-rules.json')

parts = []
# English (an English desk's replies): farthest from the end.
parts += [t['body'] for t in templates if t['lang'] == 'en']
parts += [c['en'] for c in categories]
parts += [d['name_en'] for level in departments for d in departments[level] if d.get('name_en')]
# Vietnamese administrative words: departments, categories, unit types.
parts += [d['name'] for level in departments for d in departments[level]]
parts += [c['vi'] for c in categories]
parts += ['Thành phố ', 'Tỉnh ', 'Đặc khu ', 'Xã ', 'Phường ', 'Thôn ', 'Tổ dân phố ', 'Ủy ban nhân dân ',
          'Hội đồng nhân dân ', 'UBND ', 'HĐND ']
# Vietnamese reply templates: generic ones, then each category's answer.
vi = [t for t in templates if t['lang'] == 'vi']
parts += [t['body'] for t in vi if not t['id'].endswith('-reply')]
parts += [t['body'] for t in vi if t['id'].endswith('-reply')]
# The note of an automatic route (catalog key store.auto_route).
parts += ['Tự động chuyển theo bảng phân công']

# The history's JSON: {field: {"after", "before"}} with sorted keys (EventLog.changesJSON),
# one example of each kind of event, the most frequent last. Dates and ids vary, so the
# examples use neutral ones (2000-01-01, 1).
kinds = ['feedback', 'complaint', 'complaint2', 'denunciation', 'voter_petition']
reasons = ['vague_answer', 'no_proof_of_work', 'late', 'not_resolved', 'impolite', 'wrong_unit', 'satisfied']
day = '2000-01-01'
at = day + 'T00:00:00+07:00'
due = day + 'T23:59:59+07:00'


def status(after, before):
    return '"status":{"after":"%s","before":"%s"}' % (after, before)


j = ['"kind":{"after":"%s"}' % k for k in kinds]
j += [status(b, a) for a, b in [('resolved', 'in_progress'), ('closed', 'in_progress'), ('in_progress', 'routed'),
                                ('assigned', 'routed'), ('routed', 'received')]]
j += ['"%s %s %s +%d ext 0/0 paused 0"' % (r['id'], r['counting'], day, r['days']) for r in rules]
j.append('{"rating_reasons":{"after":"' + '","before":"'.join(reasons) + '"}}')
pause = 'feedback-local working %s +10 ext 0/0 paused 0' % day
j.append('{"deadline":{"after":"%s since %s","before":"%s"},"due_at":{"after":"%s","before":"%s"},%s}'
         % (pause, day, pause, due, due, status('awaiting_info', 'in_progress')))
j.append('{"deadline":{"after":"%s","before":"%s since %s"},"due_at":{"after":"%s","before":"%s"},%s}'
         % (pause, pause, day, due, due, status('in_progress', 'awaiting_info')))
j.append('{"closed_at":{"after":"%s"},"master_id":{"after":"1"},%s}' % (at, status('merged', 'received')))
j.append('{"closed_at":{"after":"%s"},%s}' % (at, status('rejected', 'received')))
j.append('{"rating":{"after":"5"},"rating_reasons":{"after":"satisfied"}}')
j.append('{"closed_at":{"after":"%s"},%s}' % (at, status('closed', 'resolved')))
j.append('{"reply":{"after":"')
j.append('"},"resolved_at":{"after":"%s"},%s}' % (at, status('resolved', 'in_progress')))
j.append('{%s}' % status('in_progress', 'assigned'))
j.append('{"assignee_id":{"after":"1"},%s}' % status('assigned', 'routed'))
j.append('{%s,"unit_id":{"after":"1","before":"1"}}' % status('routed', 'received'))
j.append('{"category":{"after":"urban_order"},"complex":{"after":"0"},"deadline":{"after":"%s"},"due_at":{"after":"%s"},'
         '"kind":{"after":"feedback"},"status":{"after":"received"},"unit_id":{"after":"1"}}' % (pause, due))
parts += j

data = '\n'.join(parts).encode('utf-8')
assert len(data) <= 32768 - 262, len(data)   # deflate's window, less its look-ahead
sys.stdout.buffer.write(data)
