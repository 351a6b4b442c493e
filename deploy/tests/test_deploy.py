"""deploy/deploy.sh against moto's S3 server on 127.0.0.1: metadata, gzip, upload order, the manifest, errors.

Run by `make test-deploy` (the venv in .tools/venv has the AWS CLI, moto and boto3). One moto server per session (conftest.py).
"""

import gzip
import hashlib
import http.client
import os
import re
import shutil
import subprocess
import uuid
from urllib.parse import urlsplit
from pathlib import Path

import boto3
import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy.sh"
IMMUTABLE = "public, max-age=31536000, immutable"
HTML = "text/html; charset=utf-8"
MANIFEST = ".deploy-manifest"
REPO = Path(__file__).resolve().parents[2]

V1 = {
    "app": "app-0123456789abcdef.js",
    "wasm": "app-0123456789abcdef_bg.wasm",
    "css": "main-fedcba9876543210.css",
    "boot": "boot-00112233445566ff.js",
}
V2 = {
    "app": "app-1111111111111111.js",
    "wasm": "app-1111111111111111_bg.wasm",
    "css": "main-2222222222222222.css",
    "boot": "boot-3333333333333333.js",
}


@pytest.fixture(scope="session")
def s3(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def bucket(s3):
    name = f"site-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def make_dist(root, names, public="/"):
    """A small Trunk-like dist: index.html naming the boot script, the css and (preload) the app and wasm."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(
        "<!DOCTYPE html><html><head>"
        f'<link rel="stylesheet" href="{public}{names["css"]}" integrity="sha384-x"/>'
        f'<script type="module" src="{public}{names["boot"]}"></script>'
        f'<link rel="modulepreload" href="{public}{names["app"]}">'
        f'<link rel="preload" href="{public}{names["wasm"]}" as="fetch" type="application/wasm">'
        "</head><body></body></html>\n"
    )
    (root / names["app"]).write_text("export default function init() {}\n")
    (root / names["wasm"]).write_bytes(b"\0asm\x01\0\0\0")
    (root / names["css"]).write_text("body { margin: 0 }\n")
    (root / names["boot"]).write_text(f'import init from "{public}{names["app"]}"; init();\n')
    return root


def deploy(env, **extra):
    run_env = dict(env)
    run_env.update({k: str(v) for k, v in extra.items()})
    return subprocess.run(
        ["bash", str(DEPLOY)], env=run_env, capture_output=True, text=True, timeout=120
    )


def keys(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def meta(s3, bucket, key):
    head = s3.head_object(Bucket=bucket, Key=key)
    return head["ContentType"], head.get("CacheControl")


def encoding(s3, bucket, key):
    return s3.head_object(Bucket=bucket, Key=key).get("ContentEncoding")


def body(s3, bucket, key):
    """The object as a browser sees it: gunzipped when stored with Content-Encoding: gzip."""
    raw = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return gzip.decompress(raw) if encoding(s3, bucket, key) == "gzip" else raw


def manifest(s3, bucket, prefix=""):
    return body(s3, bucket, prefix + MANIFEST).decode().split()


def over_the_wire(s3, bucket, key):
    """GET as a browser does (Accept-Encoding: gzip): the bytes that cross the network, and the headers.
    A presigned URL stands in for a public bucket's anonymous read: the answer's bytes are the same."""
    url = urlsplit(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}))
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("GET", f"{url.path}?{url.query}", headers={"Accept-Encoding": "gzip, deflate, br"})
        response = conn.getresponse()
        data = response.read()
        assert response.status == 200, (key, response.status)
        return data, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def uploaded_order(stdout):
    """The keys deploy.sh printed as it uploaded them, in order."""
    return [m.group(1) for m in re.finditer(r"^  (\S+)\s", stdout, re.M)]


def test_first_deploy_sets_content_type_and_cache_control(s3, bucket, base_env, tmp_path):
    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"keep me")
    dist = make_dist(tmp_path / "dist", V1)

    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V1.values(), "index.html", "notes.txt", MANIFEST])
    assert meta(s3, bucket, V1["wasm"]) == ("application/wasm", IMMUTABLE)
    assert meta(s3, bucket, V1["app"]) == ("text/javascript", IMMUTABLE)
    assert meta(s3, bucket, V1["boot"]) == ("text/javascript", IMMUTABLE)
    assert meta(s3, bucket, V1["css"]) == ("text/css", IMMUTABLE)
    assert meta(s3, bucket, "index.html") == (HTML, "no-cache")
    for name in ["index.html", *V1.values()]:
        assert encoding(s3, bucket, name) == "gzip", name
        assert body(s3, bucket, name) == (dist / name).read_bytes(), name
    assert sorted(manifest(s3, bucket)) == sorted(["index.html", *V1.values()])
    assert s3.get_object(Bucket=bucket, Key="notes.txt")["Body"].read() == b"keep me"
    order = uploaded_order(result.stdout)
    assert sorted(order) == sorted([*V1.values(), "index.html"])
    assert order[-1] == "index.html", result.stdout
    assert f"http://{bucket}.s3-website-us-east-1.amazonaws.com/" in result.stdout
    assert "WARNING: the site is plain HTTP" in result.stdout
    assert "anyone on" in result.stdout and "network path" in result.stdout
    assert "HTTPS" in result.stdout and "CloudFront" in result.stdout


def test_second_deploy_removes_only_stale_hashed_files(s3, bucket, base_env, tmp_path):
    kept = {
        "notes.txt": b"unrelated",
        "old-app.js": b"not hashed",
        "app-0123456789abcdef.js.bak": b"not the hashed pattern",
        "other/app-0123456789abcdef.js": b"another folder",
        "app-0123456789ABCDEF.js": b"uppercase is not Trunk's hash",
    }
    for key, data in kept.items():
        s3.put_object(Bucket=bucket, Key=key, Body=data)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v1", V1)).returncode == 0

    result = deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v2", V2))

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V2.values(), "index.html", *kept, MANIFEST])
    for name in V1.values():
        assert f"removing stale {name}" in result.stdout
    assert meta(s3, bucket, V2["wasm"]) == ("application/wasm", IMMUTABLE)
    assert V2["boot"] in body(s3, bucket, "index.html").decode()
    assert "removed 4 stale" in result.stdout
    assert sorted(manifest(s3, bucket)) == sorted(["index.html", *V2.values()])


def test_a_hashed_name_is_never_given_other_bytes(s3, bucket, base_env, tmp_path):
    """A hashed name is immutable for a year: a dist that reuses one for other bytes (SKIP_BUILD=1 with a debug build,
    a hand-edited file) is refused before anything is uploaded; the same dist deployed again is fine."""
    dist = make_dist(tmp_path / "dist", V1)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    recorded = s3.head_object(Bucket=bucket, Key=V1["wasm"])["Metadata"]["sha256"]
    assert recorded == hashlib.sha256((dist / V1["wasm"]).read_bytes()).hexdigest()

    again = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
    assert again.returncode == 0, again.stderr

    (dist / V1["wasm"]).write_bytes(b"\0asm\x01\0\0\0 other bytes under the same name")
    (dist / "index.html").write_text((dist / "index.html").read_text().replace("<body>", "<body>new"))
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)

    assert result.returncode != 0
    assert f"{V1['wasm']} is already deployed with other bytes" in result.stderr
    assert "without SKIP_BUILD=1" in result.stderr
    assert uploaded_order(result.stdout) == []
    assert body(s3, bucket, V1["wasm"]) == b"\0asm\x01\0\0\0"
    assert "<body>new" not in body(s3, bucket, "index.html").decode()


def test_a_hashed_file_gone_since_the_last_deploy_is_uploaded_again(s3, bucket, base_env, tmp_path):
    """The manifest names it but the bucket lost it (deleted by hand): a 404 is not an error, the file goes up again."""
    dist = make_dist(tmp_path / "dist", V1)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    s3.delete_object(Bucket=bucket, Key=V1["wasm"])
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
    assert result.returncode == 0, result.stderr
    assert body(s3, bucket, V1["wasm"]) == (dist / V1["wasm"]).read_bytes()


def test_prefix_deploy_stays_in_its_folder(s3, bucket, base_env, tmp_path):
    s3.put_object(Bucket=bucket, Key=V1["app"], Body=b"a hashed file at the root, not ours")
    s3.put_object(Bucket=bucket, Key="qa/tester/" + V1["css"], Body=b"not uploaded by deploy.sh")
    dist = make_dist(tmp_path / "dist", V2, public="/qa/tester/")
    url = "https://d111111abcdef8.cloudfront.net/qa/tester/"

    result = deploy(base_env, BUCKET=bucket, PREFIX="/qa/tester/", PUBLIC_URL=url, DIST_DIR=dist)

    assert result.returncode == 0, result.stderr
    # No manifest under the prefix yet: nothing there was uploaded by deploy.sh, so nothing is removed.
    assert "nothing will be removed" in result.stdout
    expected = [V1["app"], "qa/tester/" + V1["css"]]
    expected += ["qa/tester/" + n for n in [*V2.values(), "index.html", MANIFEST]]
    assert keys(s3, bucket) == sorted(expected)
    assert sorted(manifest(s3, bucket, "qa/tester/")) == sorted(["index.html", *V2.values()])
    assert meta(s3, bucket, "qa/tester/index.html") == (HTML, "no-cache")
    assert meta(s3, bucket, "qa/tester/" + V2["wasm"]) == ("application/wasm", IMMUTABLE)
    assert f"site: {url}" in result.stdout
    assert "s3-website" not in result.stdout
    assert "WARNING" not in result.stdout


def test_index_built_for_another_path_is_refused(s3, bucket, base_env, tmp_path):
    dist = make_dist(tmp_path / "dist", V1, public="/")
    result = deploy(base_env, BUCKET=bucket, PREFIX="qa", DIST_DIR=dist)
    assert result.returncode != 0
    assert "the site lives at /qa/" in result.stderr
    assert "hint:" in result.stderr
    assert keys(s3, bucket) == []


def test_index_naming_a_missing_file_is_refused(s3, bucket, base_env, tmp_path):
    dist = make_dist(tmp_path / "dist", V1)
    (dist / V1["wasm"]).unlink()
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
    assert result.returncode != 0
    assert f"index.html names {V1['wasm']}, which is not in" in result.stderr
    assert keys(s3, bucket) == []


def test_a_part_the_split_loader_names_must_be_there(s3, bucket, base_env, tmp_path):
    """make dist's panels' wasm parts are named only by the split loader: a missing one is refused too."""
    dist = make_dist(tmp_path / "dist", V1)
    part = "part-split-matrix-0123456789abcdef.wasm"
    (dist / "split-0123456789abcdef.js").write_text(
        f'const a = () => fetch(new URL("./{part}", import.meta.url));\n'
    )
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
    assert result.returncode != 0
    assert f"split-0123456789abcdef.js names {part}, which is not in" in result.stderr
    assert keys(s3, bucket) == []
    (dist / part).write_bytes(b"\0asm\x01\0\0\0")
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    assert meta(s3, bucket, part) == ("application/wasm", IMMUTABLE)


def test_a_minified_index_with_unquoted_attributes_is_checked_too(s3, bucket, base_env, tmp_path):
    """A release build minifies index.html (href=/x.css, no quotes): the checks must still see every file."""
    dist = make_dist(tmp_path / "dist", V1)
    html = (dist / "index.html").read_text()
    for name in V1.values():
        html = html.replace(f'"/{name}"', f"/{name}")
    (dist / "index.html").write_text(html)
    assert f"href=/{V1['wasm']}" in html
    (dist / V1["wasm"]).unlink()
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
    assert result.returncode != 0
    assert f"index.html names {V1['wasm']}, which is not in" in result.stderr
    assert keys(s3, bucket) == []


def test_missing_bucket(base_env, tmp_path):
    result = deploy(base_env, BUCKET="no-such-bucket-here", DIST_DIR=make_dist(tmp_path / "d", V1))
    assert result.returncode != 0
    assert 'bucket "no-such-bucket-here" does not exist' in result.stderr
    assert "hint: Create it (aws s3 mb s3://no-such-bucket-here)" in result.stderr


@pytest.mark.parametrize(
    "profile, says",
    [
        (None, "no usable AWS credentials: Unable to locate credentials"),
        ("qa", 'no usable AWS credentials for profile "qa": The config profile (qa) could not be found'),
    ],
)
def test_missing_credentials(base_env, tmp_path, profile, says):
    gone = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL")
    env = {k: v for k, v in base_env.items() if k not in gone}
    # No instance-metadata lookup: the CLI fails on this machine, before any network call.
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    if profile:
        env["AWS_PROFILE"] = profile
    result = deploy(env, BUCKET="some-bucket", DIST_DIR=make_dist(tmp_path / "d", V1))
    assert result.returncode != 0
    assert says in result.stderr
    assert "hint: Run `aws configure`" in result.stderr


def test_no_bucket_given(base_env):
    result = deploy(base_env)
    assert result.returncode != 0
    assert "no BUCKET given" in result.stderr
    assert "hint: make deploy BUCKET=" in result.stderr


def test_bucket_given_as_url(base_env):
    result = deploy(base_env, BUCKET="s3://my-bucket")
    assert result.returncode != 0
    assert "is not an S3 bucket name" in result.stderr


def test_missing_aws_cli(base_env, bucket, tmp_path):
    dirs = base_env["PATH"].split(os.pathsep)
    path = os.pathsep.join(d for d in dirs if d and not shutil.which("aws", path=d))
    assert shutil.which("bash", path=path) and not shutil.which("aws", path=path)
    result = deploy(base_env, PATH=path, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "d", V1))
    assert result.returncode != 0
    assert "the AWS CLI (aws) is not on PATH" in result.stderr
    assert "hint:" in result.stderr


def test_files_it_never_uploaded_stay(s3, bucket, base_env, tmp_path):
    # The case: a name with Trunk's hash pattern at the bucket root that deploy.sh did not put there.
    theirs = {
        "README-1111111111111111.md": b"someone's notes",
        "logo-0123456789abcdef.png": b"someone's image",
        "app-0123456789abcdef.js.bak": b"a backup",
    }
    for key, data in theirs.items():
        s3.put_object(Bucket=bucket, Key=key, Body=data)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v1", V1)).returncode == 0
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v2", V2)).returncode == 0
    result = deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v1b", V1))

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V1.values(), "index.html", MANIFEST, *theirs])
    for key, data in theirs.items():
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == data
    assert "removed 4 stale" in result.stdout


def test_a_file_dropped_from_dist_is_removed_even_unhashed(s3, bucket, base_env, tmp_path):
    v1 = make_dist(tmp_path / "v1", V1)
    (v1 / "favicon.svg").write_text("<svg/>")
    (v1 / "snippets").mkdir()
    (v1 / "snippets" / "x.js").write_text("export {}")
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=v1).returncode == 0
    assert "snippets/x.js" in keys(s3, bucket)

    result = deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v2", V1))

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V1.values(), "index.html", MANIFEST])
    assert "removed 2 stale" in result.stdout


@pytest.mark.parametrize(
    "line",
    ["../notes.txt", "/notes.txt", "a/../../notes.txt", "./notes.txt", "notes.txt\"", "..", MANIFEST],
)
def test_a_doctored_manifest_reaches_nothing_outside_its_names(s3, bucket, base_env, tmp_path, line):
    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"keep")
    s3.put_object(Bucket=bucket, Key="qa/" + MANIFEST, Body=(line + "\n").encode())
    result = deploy(base_env, BUCKET=bucket, PREFIX="qa", DIST_DIR=make_dist(tmp_path / "d", V1, public="/qa/"))
    assert result.returncode == 0, result.stderr
    assert "notes.txt" in keys(s3, bucket)
    assert "removed 0 stale" in result.stdout


def test_a_dist_file_with_an_unsafe_name_is_refused(s3, bucket, base_env, tmp_path):
    for bad in ["a b.js", "x\ny.js", 'q"uote.js', MANIFEST]:
        dist = make_dist(tmp_path / f"d{len(bad)}{bad[0]}", V1)
        (dist / bad).write_text("x")
        result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)
        assert result.returncode != 0, bad
        assert "which deploy.sh will not upload" in result.stderr, bad
    assert keys(s3, bucket) == []


def test_gzip_bytes_over_the_wire(s3, bucket, base_env, tmp_path):
    # Compressible like the real build: text repeats, the wasm section is varied but not random.
    dist = make_dist(tmp_path / "dist", V1)
    (dist / V1["app"]).write_text("export function f(x) { return x + 1; }\n" * 2000)
    (dist / V1["wasm"]).write_bytes(b"\0asm\x01\0\0\0" + bytes(i * 7 % 61 for i in range(100_000)))
    (dist / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))

    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0

    for name in ["index.html", *V1.values()]:
        raw = (dist / name).read_bytes()
        wire, headers = over_the_wire(s3, bucket, name)
        assert headers.get("content-encoding") == "gzip", name
        assert int(headers["content-length"]) == len(wire), name
        assert gzip.decompress(wire) == raw, name
        assert wire[:2] == b"\x1f\x8b" and wire[4:8] == bytes(4), f"{name}: gzip -n (no time stamp)"
    for name in (V1["app"], V1["wasm"]):
        assert len(over_the_wire(s3, bucket, name)[0]) < len((dist / name).read_bytes()) / 5, name
    png, headers = over_the_wire(s3, bucket, "icon.png")
    assert "content-encoding" not in headers and png == (dist / "icon.png").read_bytes()
    assert meta(s3, bucket, "icon.png") == ("image/png", "no-cache")


def first_load(dist):
    """index.html and every file it names (css, boot script, app js, wasm): what a first visit downloads."""
    html = (dist / "index.html").read_text()
    refs = re.findall(r'(?:src|href)=(?:"([^"]+)"|([^"\s>]+))', html)
    names = {(quoted or bare).rsplit("/", 1)[-1] for quoted, bare in refs}
    return ["index.html", *sorted(n for n in names if (dist / n).is_file())]


@pytest.mark.skipif(
    not (Path(os.environ.get("MEASURE_DIST", REPO / "dist")) / "index.html").is_file(),
    reason="no built dist/ to measure (make dist, or MEASURE_DIST=path)",
)
def test_first_load_over_the_wire_of_the_real_build(s3, bucket, base_env):
    """The README's figure: the release build deployed to (moto's) S3, fetched as a browser does."""
    dist = Path(os.environ.get("MEASURE_DIST", REPO / "dist"))
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    rows, raw_total, wire_total = [], 0, 0
    for name in first_load(dist):
        raw = (dist / name).stat().st_size
        wire, headers = over_the_wire(s3, bucket, name)
        assert headers.get("content-encoding") == "gzip", name
        rows.append(f"| {name} | {raw} | {len(wire)} |")
        raw_total, wire_total = raw_total + raw, wire_total + len(wire)
    assert any(name.endswith(".wasm") for name in first_load(dist))
    assert wire_total < raw_total / 2
    # The panels' wasm parts (make dist splits the wasm): fetched by the loader once the form is drawn.
    part_rows, part_raw, part_wire = [], 0, 0
    assert list(dist.glob("part-*.wasm")), "make dist splits the wasm: no part-*.wasm in the build"
    for part in sorted(p.name for p in dist.glob("part-*.wasm")):
        wire, headers = over_the_wire(s3, bucket, part)
        assert headers.get("content-encoding") == "gzip", part
        assert meta(s3, bucket, part) == ("application/wasm", IMMUTABLE), part
        part_rows.append(f"| {part} | {(dist / part).stat().st_size} | {len(wire)} |")
        part_raw, part_wire = part_raw + (dist / part).stat().st_size, part_wire + len(wire)
    report = "\n".join(
        ["| file | bytes in dist/ | bytes over the wire |", "|---|---:|---:|", *rows,
         f"| **first load** | **{raw_total}** | **{wire_total}** |", *part_rows,
         f"| **panels' parts, after the form** | **{part_raw}** | **{part_wire}** |"]
    )
    out = REPO / "target" / "deploy-wire.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n")
    print("\n" + report)


def test_a_trunk_hash_with_leading_zeros_dropped_is_still_immutable(s3, bucket, base_env, tmp_path):
    """Trunk writes its 64-bit hash in hex without leading zeros: one build in 16 has 15 digits."""
    names = {
        "app": "app-22e54048c256f70.js",
        "wasm": "app-22e54048c256f70_bg.wasm",
        "css": "main-fedcba9876543210.css",
        "boot": "boot-00112233445566ff.js",
    }
    dist = make_dist(tmp_path / "dist", names)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    assert meta(s3, bucket, names["app"]) == ("text/javascript", IMMUTABLE)
    assert meta(s3, bucket, names["wasm"]) == ("application/wasm", IMMUTABLE)


def test_a_name_with_a_short_hex_tail_is_not_taken_for_hashed(s3, bucket, base_env, tmp_path):
    """Fewer than 8 hex digits is not a hash (one build in 2^36 would have it): no-cache, not immutable."""
    dist = make_dist(tmp_path / "dist", V1)
    (dist / "logo-1234567.png").write_bytes(b"\x89PNG")
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=dist).returncode == 0
    assert meta(s3, bucket, "logo-1234567.png") == ("image/png", "no-cache")


def test_an_http_public_url_gets_the_warning_too(s3, bucket, base_env, tmp_path):
    dist = make_dist(tmp_path / "dist", V1)
    result = deploy(base_env, BUCKET=bucket, PUBLIC_URL="http://tester.example.com/", DIST_DIR=dist)
    assert result.returncode == 0, result.stderr
    assert "site: http://tester.example.com/" in result.stdout
    assert "WARNING: the site is plain HTTP" in result.stdout
