#!/usr/bin/python3
"""The python half of scripts/check-prov.sh: checks one provenance document given as PROV-JSON and PROV-XML.

usage: prov_check.py SCHEMA_DIR DOC.json DOC.xml [--votable DOC.vot.xml] [--work WORK_DIR]

Checks, each printed as one line "ok   <what>" or "FAIL <what>: <why>":
  xsd           DOC.xml is valid against the W3C PROV-XML schema, DOC.vot.xml against the IVOA VOTable schema
                (xmllint --nonet, schemas from SCHEMA_DIR)
  json-schema   DOC.json is valid against the PROV-JSON JSON schema (python3-jsonschema, draft 4)
  parse         both files parse with python3-prov
  references    no reference is lost: python3-prov turns a reference it cannot resolve (undeclared prefix, blank
                id) into None without a word, so the number of formal arguments present in each file is compared
                with the number the parsed document still holds
  time zones    every time in DOC.json carries a zone (Z or +hh:mm)
  json == xml   both files describe the same document
  round trips   json -> xml -> json and xml -> json -> xml give equal documents
  prov-n        python3-prov writes PROV-N of the document, naming every activity
  svg           python3-prov draws the document through graphviz as SVG (into WORK_DIR when given)
The last line is "prov check: N ok, N failed"; the exit status is 0 only when nothing failed.
Runs with Debian's /usr/bin/python3, where python3-prov, python3-jsonschema, python3-lxml and python3-pydot live.
"""
import json
import os
import argparse
import re
import subprocess
import sys

results = []


def report(ok, what, why=''):
    results.append(ok)
    print(('ok   ' if ok else 'FAIL ') + what + ('' if ok or not why else ': ' + str(why)))
    return ok


def xsd(what, schema, path):
    try:
        run = subprocess.run(['xmllint', '--nonet', '--noout', '--schema', schema, path],
                             capture_output=True, text=True, timeout=120)
        ok, why = run.returncode == 0, ' '.join(run.stderr.splitlines()[:5])
    except (OSError, subprocess.TimeoutExpired) as e:
        ok, why = False, repr(e)
    report(ok, what + ': valid against ' + os.path.basename(schema), why)


def all_records(doc):
    """Every record of the document and of its bundles."""
    out = list(doc.get_records())
    for b in doc.bundles:
        out.extend(b.get_records())
    return out


def kept_arguments(doc, names):
    """How many formal arguments (prov:entity, prov:time, ...) the parsed document holds, per record kind."""
    counts = {}
    for rec in all_records(doc):
        kind = names.get(rec.get_type())
        held = sum(1 for _, value in rec.formal_attributes if value is not None)
        counts[kind] = counts.get(kind, 0) + held
    return counts


def formal_names(names):
    """The local names of the formal arguments of each record kind (the section / element name)."""
    from prov.model import PROV_REC_CLS
    return {names[t]: {q.localpart for q in cls.FORMAL_ATTRIBUTES} for t, cls in PROV_REC_CLS.items() if t in names}


def json_arguments(raw, formal):
    """How many formal arguments DOC.json writes, per record kind (sections of the document and of its bundles)."""
    counts = {}

    def section_counts(container):
        for kind, records in container.items():
            if kind in ('prefix', 'bundle') or kind not in formal or not isinstance(records, dict):
                continue
            for rec in records.values():
                for one in (rec if isinstance(rec, list) else [rec]):
                    n = sum(1 for k, v in one.items() if k.startswith('prov:') and k[5:] in formal[kind] and v is not None)
                    counts[kind] = counts.get(kind, 0) + n

    section_counts(raw)
    for bundle in raw.get('bundle', {}).values():
        section_counts(bundle)
    return counts


def xml_arguments(path, formal):
    """How many formal arguments DOC.xml writes, per record kind (children of prov:document and prov:bundleContent)."""
    from lxml import etree
    prov = '{http://www.w3.org/ns/prov#}'
    counts = {}
    root = etree.parse(path).getroot()
    containers = [root] + list(root.iter(prov + 'bundleContent'))
    for container in containers:
        for rec in container:
            if not isinstance(rec.tag, str) or not rec.tag.startswith(prov):
                continue
            kind = rec.tag[len(prov):]
            if kind not in formal:
                continue
            n = sum(1 for child in rec if isinstance(child.tag, str) and child.tag.startswith(prov)
                    and child.tag[len(prov):] in formal[kind])
            counts[kind] = counts.get(kind, 0) + n
    return counts


def compare_counts(label, written, kept):
    lost = {k: (n, kept.get(k, 0)) for k, n in written.items() if kept.get(k, 0) < n}
    report(not lost, label + ': every reference and time written is kept by the parser',
           'written vs kept per kind ' + str(lost))


def times_have_zones(raw):
    bad = []
    zone = re.compile(r'(Z|[+-]\d\d:\d\d)$')

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ('prov:time', 'prov:startTime', 'prov:endTime') and isinstance(v, str) and not zone.search(v):
                    bad.append(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(raw)
    report(not bad, 'json: every time carries a time zone', bad[:5])


def main(argv):
    args = argparse.ArgumentParser(description='Checks a PROV-JSON + PROV-XML pair; see the module docstring.')
    args.add_argument('schema_dir')
    args.add_argument('json_path')
    args.add_argument('xml_path')
    args.add_argument('--votable')
    args.add_argument('--work')
    a = args.parse_args(argv[1:])
    schema_dir, json_path, xml_path, work = a.schema_dir, a.json_path, a.xml_path, a.work
    xsd('xml', os.path.join(schema_dir, 'prov-xml', 'prov.xsd'), xml_path)
    if a.votable:
        xsd('votable', os.path.join(schema_dir, 'VOTable.xsd'), a.votable)
    import jsonschema
    from prov.model import ProvDocument, PROV_N_MAP

    with open(json_path, encoding='utf-8') as f:
        raw = json.load(f)
    with open(os.path.join(schema_dir, 'prov-json', 'prov-json-schema-v4.json'), encoding='utf-8') as f:
        schema = json.load(f)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(raw), key=lambda e: list(e.path))
    report(not errors, 'json: valid against the PROV-JSON schema',
           '; '.join('/'.join(map(str, e.path)) + ' ' + e.message for e in errors[:5]))

    try:
        from_json = ProvDocument.deserialize(source=json_path, format='json')
        report(True, 'json: parsed by python3-prov')
    except Exception as e:  # the parser's own message is the finding
        report(False, 'json: parsed by python3-prov', repr(e))
        from_json = None
    try:
        from_xml = ProvDocument.deserialize(source=xml_path, format='xml')
        report(True, 'xml: parsed by python3-prov')
    except Exception as e:
        report(False, 'xml: parsed by python3-prov', repr(e))
        from_xml = None

    formal = formal_names(PROV_N_MAP)
    if from_json is not None:
        compare_counts('json', json_arguments(raw, formal), kept_arguments(from_json, PROV_N_MAP))
    if from_xml is not None:
        compare_counts('xml', xml_arguments(xml_path, formal), kept_arguments(from_xml, PROV_N_MAP))
    times_have_zones(raw)

    if from_json is None or from_xml is None:
        report(False, 'json == xml, round trips, PROV-N, SVG', 'not checked: a file did not parse')
    else:
        report(from_json == from_xml, 'json and xml describe the same document')
        via_xml = ProvDocument.deserialize(content=from_json.serialize(format='xml'), format='xml')
        report(via_xml == from_json, 'json -> xml -> json gives an equal document')
        via_json = ProvDocument.deserialize(content=from_xml.serialize(format='json'), format='json')
        report(via_json == from_xml, 'xml -> json -> xml gives an equal document')

        provn = from_json.get_provn()
        activities = [str(r.identifier) for r in all_records(from_json) if PROV_N_MAP.get(r.get_type()) == 'activity']
        missing = [a for a in activities if a not in provn]
        report(provn.startswith('document') and not missing, 'PROV-N written by python3-prov names every activity',
               'missing ' + str(missing))

        try:
            from prov.dot import prov_to_dot
            svg = prov_to_dot(from_json).create(format='svg')
            if work:
                os.makedirs(work, exist_ok=True)
                with open(os.path.join(work, 'graph.svg'), 'wb') as f:
                    f.write(svg)
            report(b'<svg' in svg, 'SVG drawn by python3-prov through graphviz')
        except Exception as e:
            report(False, 'SVG drawn by python3-prov through graphviz', repr(e))

    failed = results.count(False)
    print('prov check: %d ok, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
