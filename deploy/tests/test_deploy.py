"""deploy/deploy.sh against moto's S3 server on 127.0.0.1: metadata, upload order, stale-file removal, errors.

Run by `make test-deploy` (the venv in .tools/venv has the AWS CLI, moto and boto3). One moto server per session.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

DEPLOY = Path(__file__).resolve().parents[1] / "deploy.sh"
IMMUTABLE = "public, max-age=31536000, immutable"
HTML = "text/html; charset=utf-8"

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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def base_env(endpoint, tmp_path_factory):
    """Only what the script needs: this venv's aws first on PATH, fake credentials, no user AWS config."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        HOME=str(home),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(home / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
        AWS_ENDPOINT_URL=endpoint,
        SKIP_BUILD="1",
    )
    for k in ("BUCKET", "PREFIX", "PUBLIC_URL", "DIST_DIR"):
        env.pop(k, None)
    return env


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


def uploaded_order(stdout):
    """The keys deploy.sh printed as it uploaded them, in order."""
    return [m.group(1) for m in re.finditer(r"^  (\S+)\s", stdout, re.M)]


def test_first_deploy_sets_content_type_and_cache_control(s3, bucket, base_env, tmp_path):
    s3.put_object(Bucket=bucket, Key="notes.txt", Body=b"keep me")
    dist = make_dist(tmp_path / "dist", V1)

    result = deploy(base_env, BUCKET=bucket, DIST_DIR=dist)

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V1.values(), "index.html", "notes.txt"])
    assert meta(s3, bucket, V1["wasm"]) == ("application/wasm", IMMUTABLE)
    assert meta(s3, bucket, V1["app"]) == ("text/javascript", IMMUTABLE)
    assert meta(s3, bucket, V1["boot"]) == ("text/javascript", IMMUTABLE)
    assert meta(s3, bucket, V1["css"]) == ("text/css", IMMUTABLE)
    assert meta(s3, bucket, "index.html") == (HTML, "no-cache")
    body = s3.get_object(Bucket=bucket, Key="index.html")["Body"].read()
    assert body == (dist / "index.html").read_bytes()
    order = uploaded_order(result.stdout)
    assert sorted(order) == sorted([*V1.values(), "index.html"])
    assert order[-1] == "index.html", result.stdout
    assert f"http://{bucket}.s3-website-us-east-1.amazonaws.com/" in result.stdout
    assert "HTTPS" in result.stdout and "CloudFront" in result.stdout


def test_second_deploy_removes_only_stale_hashed_files(s3, bucket, base_env, tmp_path):
    kept = {
        "notes.txt": b"unrelated",
        "old-app.js": b"not hashed",
        "app-0123456789abcdef.js.bak": b"not the hashed pattern",
        "other/app-0123456789abcdef.js": b"another folder",
        "app-0123456789ABCDEF.js": b"uppercase is not Trunk's hash",
    }
    for key, body in kept.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    assert deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v1", V1)).returncode == 0

    result = deploy(base_env, BUCKET=bucket, DIST_DIR=make_dist(tmp_path / "v2", V2))

    assert result.returncode == 0, result.stderr
    assert keys(s3, bucket) == sorted([*V2.values(), "index.html", *kept])
    for name in V1.values():
        assert f"removing stale {name}" in result.stdout
    assert meta(s3, bucket, V2["wasm"]) == ("application/wasm", IMMUTABLE)
    assert V2["boot"] in s3.get_object(Bucket=bucket, Key="index.html")["Body"].read().decode()
    assert "removed 4 stale" in result.stdout


def test_prefix_deploy_stays_in_its_folder(s3, bucket, base_env, tmp_path):
    s3.put_object(Bucket=bucket, Key=V1["app"], Body=b"a hashed file at the root, not ours")
    s3.put_object(Bucket=bucket, Key="qa/tester/" + V1["css"], Body=b"stale")
    dist = make_dist(tmp_path / "dist", V2, public="/qa/tester/")
    url = "https://d111111abcdef8.cloudfront.net/qa/tester/"

    result = deploy(base_env, BUCKET=bucket, PREFIX="/qa/tester/", PUBLIC_URL=url, DIST_DIR=dist)

    assert result.returncode == 0, result.stderr
    expected = [V1["app"]] + ["qa/tester/" + n for n in [*V2.values(), "index.html"]]
    assert keys(s3, bucket) == sorted(expected)
    assert meta(s3, bucket, "qa/tester/index.html") == (HTML, "no-cache")
    assert meta(s3, bucket, "qa/tester/" + V2["wasm"]) == ("application/wasm", IMMUTABLE)
    assert f"site: {url}" in result.stdout
    assert "s3-website" not in result.stdout


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
