#!/usr/bin/python3
"""Checks a PROV-N document written by uws-prov against the PROV-JSON of the same document, parsed by python3-prov
(which has no PROV-N reader): same statements per kind, same element identifiers (expanded to URIs), every prefix
used is declared, every time is UTC with Z.
usage: check_provn.py doc.provn doc.json"""
import re
import sys
from collections import Counter
from prov.model import ProvDocument, ProvElement

provn = open(sys.argv[1], encoding='utf-8').read()
doc = ProvDocument.deserialize(source=sys.argv[2], format='json')
fail = 0

def check(ok, msg):
    global fail
    print(('  ok   ' if ok else '  FAIL ') + msg)
    fail += 0 if ok else 1

lines = [l.strip() for l in provn.splitlines()]
check(lines[0] == 'document' and lines[-1] == 'endDocument', 'document ... endDocument')
prefixes = {'prov': 'http://www.w3.org/ns/prov#', 'xsd': 'http://www.w3.org/2001/XMLSchema#'}
for m in re.finditer(r'^\s*prefix (\S+) <([^>]*)>', provn, re.M):
    prefixes[m.group(1)] = m.group(2)
stmt = re.compile(r'^(\w+)\((.*)\)$')
kinds = Counter()
ids = set()
undeclared = set()
for l in lines:
    m = stmt.match(l)
    if not m:
        continue
    kinds[m.group(1)] += 1
    body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', m.group(2))
    for q in re.findall(r"(?<![\w.:/])([A-Za-z_][\w.-]*):([A-Za-z_][\w.\\-]*)", body):
        if q[0] not in prefixes:
            undeclared.add(q[0])
    if m.group(1) in ('entity', 'activity', 'agent'):
        first = body.split(',')[0].strip()
        p, local = first.split(':', 1)
        ids.add(prefixes[p] + local.replace('\\.', '.'))

names = {'ProvEntity': 'entity', 'ProvActivity': 'activity', 'ProvAgent': 'agent', 'ProvUsage': 'used',
         'ProvGeneration': 'wasGeneratedBy', 'ProvAssociation': 'wasAssociatedWith', 'ProvAttribution': 'wasAttributedTo',
         'ProvDelegation': 'actedOnBehalfOf', 'ProvDerivation': 'wasDerivedFrom', 'ProvInfluence': 'wasInfluencedBy',
         'ProvCommunication': 'wasInformedBy', 'ProvStart': 'wasStartedBy', 'ProvEnd': 'wasEndedBy',
         'ProvInvalidation': 'wasInvalidatedBy'}
expected = Counter()
expected_ids = set()
for bundle in [doc] + list(doc.bundles):
    for r in bundle.get_records():
        expected[names[type(r).__name__]] += 1
        if isinstance(r, ProvElement):
            expected_ids.add(r.identifier.uri)
check(kinds == expected, f'statements per kind match the JSON: {dict(kinds)} vs {dict(expected)}')
check(ids == expected_ids, f'element ids match the JSON ({len(ids)}): {sorted(ids ^ expected_ids)[:5]}')
check(not undeclared, f'every prefix used is declared {sorted(undeclared)}')
unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', provn)
times = re.findall(r'\b\d{4}-\d\d-\d\dT[\d:.]+\S*?(?=[,)\]])', unquoted)
check(times and all(t.endswith('Z') for t in times), f'{len(times)} times, all UTC with Z')
print(f'{fail} failed')
sys.exit(1 if fail else 0)
