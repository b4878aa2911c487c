#!/usr/bin/python3
"""Checks the job type descriptions of the example server's --definitions with real consumers.

Usage: /usr/bin/python3 definitions_check.py FORMAT_SCHEMA OUT_DIR DEFINITION_FILE... -- DESCRIPTION_URL...

1. every definition file is valid against the definition format's own JSON Schema (python3-jsonschema, 2020-12);
2. every job type's creation-parameter JSON Schema is a valid 2020-12 schema, accepts the defaults and refuses a
   value out of range; it is saved as OUT_DIR/<type>.schema.json;
3. every DataLink service descriptor is read by pyvo (pyvo.dal.adhoc, the adhoc:service RESOURCE, its accessURL and
   GROUP inputParams) and saved as OUT_DIR/<type>.vot for xmllint and votlint;
4. pyvo parses the service's VOSI capabilities (pyvo.io.vosi, pedantic; without the <param>s pyvo 1.2 does not
   model, which ElementTree reads), which name every job list and its
   descriptions, with the job types' parameters;
5. a job is created from what pyvo read (PARAM defaults, an OPTION, a MAX; an upload for FILE), run, and completes;
   its declared results are what the job type promises (the CSV's rows, the PNG's signature, the checksum).

Prints "OK <step>" per step and "ALL OK" at the end; the first failure raises (exit code 1).
"""
import hashlib
import io
import json
import os
import re
import sys
from xml.etree import ElementTree

import jsonschema
import requests
from astropy.io.votable import parse
from pyvo.dal.adhoc import AdhocServiceResultsMixin
from pyvo.dal.tap import AsyncTAPJob
from pyvo.io.vosi import endpoint as vosi


def ok(step):
    print("OK " + step, flush=True)


class _Plain:
    def __init__(self, votable, url=None, session=None):
        self.votable = votable


class ServiceDescriptors(AdhocServiceResultsMixin, _Plain):
    """pyvo's own reading of adhoc:service resources, over a descriptor document that holds nothing else."""


def input_params(resource):
    group = next(g for g in resource.groups if g.name == "inputParams")
    return {p.name: p for p in group.entries if hasattr(p, "datatype")}


def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return "" if value is None else str(value)


def main(argv):
    split = argv.index("--")
    format_schema_file, out_dir, files, urls = argv[0], argv[1], argv[2:split], argv[split + 1:]
    with open(format_schema_file, encoding="utf-8") as f:
        format_schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(format_schema)
    for name in files:
        with open(name, encoding="utf-8") as f:
            jsonschema.Draft202012Validator(format_schema).validate(json.load(f))
        ok("definition file %s is valid against the format schema" % os.path.basename(name))
    broken = {"name": "x", "run": {"command": "true", "shell": "rm -rf /"}}
    if jsonschema.Draft202012Validator(format_schema).is_valid(broken):
        raise AssertionError("the format schema accepts an unknown key")
    ok("the format schema refuses an unknown key")

    mount = urls[0].split("/definitions/")[0].rsplit("/", 1)[0]
    r = requests.get(mount + "/capabilities", timeout=20)
    r.raise_for_status()
    with open(os.path.join(out_dir, "capabilities.xml"), "wb") as f:
        f.write(r.content)
    # pyvo 1.2 does not model vs:ParamHTTP's <param> (VODataService 1.1 has it): pyvo reads the document without
    # them, pedantically (any deviation it knows raises); the params are read below with ElementTree
    caps = vosi.parse_capabilities(io.BytesIO(re.sub(rb"<param .*?</param>", b"", r.content)), pedantic=True)
    ids = [c.standardid for c in caps]
    if "ivo://ivoa.net/std/VOSI#capabilities" not in ids:
        raise AssertionError("no VOSI capabilities capability in %s" % ids)
    bases = {c.interfaces[0].accessurls[0].content: c for c in caps}
    for url in urls:
        list_url = url.split("/definitions/")[0]
        if list_url not in bases or list_url + "/definitions" not in bases:
            raise AssertionError("capabilities lack %s or its descriptions: %s" % (list_url, sorted(bases)))
        ns = {"vosi": "http://www.ivoa.net/xml/VOSICapabilities/v1.0"}
        root = ElementTree.fromstring(r.content)
        names = [n.text for c in root.findall("capability") if c.findtext("interface/accessURL") == list_url
                 for n in c.findall("interface/param/name")]
        if not names:
            raise AssertionError("capability of %s lists no parameters" % list_url)
    ok("pyvo parses the VOSI capabilities pedantically: %d capabilities" % len(caps))

    for url in urls:
        jtype = url.rstrip("/").rsplit("/", 1)[1]
        r = requests.get(url, params={"FORMAT": "schema"}, timeout=20)
        r.raise_for_status()
        assert r.headers["Content-Type"].startswith("application/schema+json"), r.headers["Content-Type"]
        schema = r.json()
        with open(os.path.join(out_dir, jtype + ".schema.json"), "w", encoding="utf-8") as f:
            json.dump(schema, f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        defaults = {k: p["default"] for k, p in schema["properties"].items() if "default" in p}
        for k in schema.get("required", []):
            defaults.setdefault(k, "param:data")
        validator.validate(defaults)
        for k, p in schema["properties"].items():
            if "maximum" in p:
                bad = dict(defaults)
                bad[k] = p["maximum"] + 1
                if validator.is_valid(bad):
                    raise AssertionError("%s schema accepts %s above its maximum" % (jtype, k))
        ok("%s JSON Schema is valid 2020-12, accepts its defaults, refuses values above a maximum" % jtype)

        r = requests.get(url, headers={"Accept": "application/x-votable+xml"}, timeout=20)
        r.raise_for_status()
        vot_path = os.path.join(out_dir, jtype + ".vot")
        with open(vot_path, "wb") as f:
            f.write(r.content)
        descriptors = ServiceDescriptors(parse(io.BytesIO(r.content)))
        service = descriptors.get_adhocservice_by_id(jtype)
        if service is not descriptors.get_adhocservice_by_ivoid("ivo://ivoa.net/std/UWS"):
            raise AssertionError("standardID not found")
        access_url = next(p.value for p in service.params if p.name == "accessURL")
        access_url = plain(access_url)
        params = input_params(service)
        if set(params) != set(schema["properties"]):
            raise AssertionError("descriptor PARAMs %s differ from the schema's %s" % (set(params), set(schema["properties"])))
        ok("pyvo reads the %s service descriptor: accessURL %s, inputParams %s" % (jtype, access_url, sorted(params)))

        form = {"PHASE": "RUN"}
        files_to_send = {}
        upload = None
        for name, p in params.items():
            value = plain(p.value)
            options = getattr(p.values, "options", None) or []
            if options:
                value = plain(options[-1][1])  # the last OPTION, not the default
            elif p.values is not None and p.values.max is not None and p.datatype == "long":
                value = str(min(int(p.values.max), 500))
            if value == "" and "file" in (p.description or ""):
                upload = os.urandom(3000) + b"uwskit"
                form[name] = "param:data"
                files_to_send["data"] = ("data.bin", upload, "application/octet-stream")
                continue
            if value != "":
                form[name] = value
        if files_to_send:
            r = requests.post(access_url, data=form, files=files_to_send, allow_redirects=False, timeout=20)
        else:
            r = requests.post(access_url, data=form, allow_redirects=False, timeout=20)
        if r.status_code != 303:
            raise AssertionError("creating a %s job answered %s: %s" % (jtype, r.status_code, r.text))
        job = AsyncTAPJob(r.headers["Location"])
        job.wait(phases={"COMPLETED", "ERROR", "ABORTED"}, timeout=60)
        if job.phase != "COMPLETED":
            raise AssertionError("%s job ended %s: %s" % (jtype, job.phase, requests.get(job.url + "/error").text))
        results = {res.id_: res.href for res in job.results}
        declared = [o["id"] for o in requests.get(access_url + "/definitions", timeout=20).json()["jobTypes"][0]["outputs"]]
        for rid in declared:
            if rid not in results:
                raise AssertionError("%s job lacks its declared result %s (has %s)" % (jtype, rid, sorted(results)))
        if jtype == "checksum":
            line = requests.get(results["stdout"], timeout=20).text
            if not line.startswith(hashlib.sha256(upload).hexdigest()):
                raise AssertionError("checksum %r is not the upload's SHA-256" % line)
        if jtype == "waveform":
            csv_text = requests.get(results["table.csv"], timeout=20).text
            rows = csv_text.strip().splitlines()
            if len(rows) != int(form["POINTS"]) + 1:
                raise AssertionError("table.csv has %d rows for POINTS=%s" % (len(rows) - 1, form["POINTS"]))
            png = requests.get(results["plot.png"], timeout=20)
            if not png.content.startswith(b"\x89PNG\r\n\x1a\n") or png.headers["Content-Type"] != "image/png":
                raise AssertionError("plot.png is not a PNG")
        if jtype == "wordfreq":
            csv_text = requests.get(results["words.csv"], timeout=20).text
            rows = csv_text.strip().splitlines()
            if rows[0] != "count,word" or not 1 < len(rows) <= int(form["top"]) + 1 or "uwskit" not in csv_text:
                raise AssertionError("words.csv of an OPUS-format job is not the word counts: %r" % csv_text[:300])
        ok("a %s job created from what pyvo read completes with %s" % (jtype, sorted(results)))
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
