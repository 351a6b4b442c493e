"""Shared by the deploy tests: one moto server per session (S3, CloudFormation, Cognito, …) and an environment
in which the AWS CLI of this venv talks only to it."""

import os
import socket
import sys
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer


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


