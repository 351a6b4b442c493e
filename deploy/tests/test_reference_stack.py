"""deploy/reference-stack.yaml deployed against moto with `make reference-stack` (the AWS CLI's
`cloudformation deploy`, as a user runs it), then checked for what the form needs.

moto's CloudFormation models the REST API, its resource, method and deployment, but not the Cognito resources,
the Secrets Manager secret or the API Gateway authorizer: it skips those with a warning. It also leaves the
outputs of a stack made through a change set (what `cloudformation deploy` does) empty, so the outputs are read
from a second stack of the same template made with CreateStack, and it drops a method's AuthorizationScopes, so
those are read from the template. This test creates each
skipped resource through moto's own service API from the template's Properties (so the properties are still
checked by a real API model), resolves the secret's SecretString the way CloudFormation would, and demands that
the stack's outputs and the secret's JSON agree field by field: the JSON is what Import… and
`cognito-api-tester run --secrets-json` read (cli/tests/reference_stack.rs proves it fills the form).
"""

import json
import re
import subprocess
from pathlib import Path

import boto3
import pytest

import cfn_yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "reference-stack.yaml"
STACK = "reference-under-test"
PREFIX = "my-reference-test"
REGION = "us-east-1"
# moto names each resource type its CloudFormation skips; the module's text says how they are covered.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse AWS")
SEED_KEYS = ["USER_POOL_CLIENT_ID", "USER_POOL_CLIENT_SECRET", "USER_POOL_DOMAIN", "USER_POOL_SCOPE", "APIGW_URL"]


def resources():
    return cfn_yaml.load(TEMPLATE)["Resources"]


def client(service, endpoint):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def deployed(base_env, endpoint):
    """The stack as `make reference-stack` deploys it, plus what moto's CloudFormation skipped."""
    env = dict(base_env, AWS_DEFAULT_REGION=REGION)
    ran = subprocess.run(
        ["make", "--no-print-directory", "reference-stack", f"DOMAIN_PREFIX={PREFIX}", f"STACK={STACK}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    cf = client("cloudformation", endpoint)
    assert cf.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    # moto fills a stack's outputs only on CreateStack (see the module's text).
    cf.create_stack(
        StackName=f"{STACK}-outputs",
        TemplateBody=TEMPLATE.read_text(),
        Parameters=[{"ParameterKey": "DomainPrefix", "ParameterValue": PREFIX}],
    )
    stack = cf.describe_stacks(StackName=f"{STACK}-outputs")["Stacks"][0]
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cf.list_stack_resources(StackName=f"{STACK}-outputs")["StackResourceSummaries"]
    }
    res = resources()
    cognito = client("cognito-idp", endpoint)

    # The Cognito resources, from the template's own Properties.
    pool = cognito.create_user_pool(PoolName=f"{STACK}-pool")["UserPool"]
    props = res["UserPoolDomain"]["Properties"]
    assert props["Domain"].name == "Ref" and props["Domain"].value == "DomainPrefix"
    cognito.create_user_pool_domain(Domain=PREFIX, UserPoolId=pool["Id"])
    props = res["ResourceServer"]["Properties"]
    cognito.create_resource_server(
        UserPoolId=pool["Id"], Identifier=props["Identifier"], Name=props["Name"], Scopes=props["Scopes"]
    )
    props = res["AppClient"]["Properties"]
    app_client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=f"{STACK}-client",
        GenerateSecret=props["GenerateSecret"],
        AllowedOAuthFlowsUserPoolClient=props["AllowedOAuthFlowsUserPoolClient"],
        AllowedOAuthFlows=props["AllowedOAuthFlows"],
        AllowedOAuthScopes=props["AllowedOAuthScopes"],
        SupportedIdentityProviders=props["SupportedIdentityProviders"],
    )["UserPoolClient"]

    # The authorizer on the API moto's CloudFormation did create.
    api_id = physical["Api"]
    props = res["Authorizer"]["Properties"]
    authorizer = client("apigateway", endpoint).create_authorizer(
        restApiId=api_id,
        name=props["Name"],
        type=props["Type"],
        identitySource=props["IdentitySource"],
        providerARNs=[pool["Arn"]],
    )

    # The secret: the template's SecretString with the values CloudFormation would put in.
    sub_text, sub_vars = res["ClientSecret"]["Properties"]["SecretString"].value
    assert sub_vars["Secret"].name == "GetAtt" and sub_vars["Secret"].value == "AppClient.ClientSecret"
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}
    values = {
        "AppClient": app_client["ClientId"],
        "Secret": app_client["ClientSecret"],
        "DomainPrefix": PREFIX,
        "AWS::Region": REGION,
        "AWS::URLSuffix": "amazonaws.com",
        "Api": api_id,
        "ResourcePath": parameters.get("ResourcePath", "pets"),
    }
    secret_string = re.sub(r"\$\{([^}]+)\}", lambda m: values[m.group(1)], sub_text)
    secret_name = res["ClientSecret"]["Properties"]["Name"]
    assert secret_name.name == "Ref"
    client("secretsmanager", endpoint).create_secret(
        Name=parameters.get(secret_name.value, "cognito-api-tester/reference"), SecretString=secret_string
    )
    return {
        "stdout": ran.stdout,
        "stack": stack,
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        "api_id": api_id,
        "authorizer": authorizer,
        "secret": json.loads(secret_string),
        "client": app_client,
    }


def test_make_reference_stack_deploys_and_then_asks_for_the_outputs(deployed):
    assert "Successfully created/updated stack - " + STACK in deployed["stdout"], deployed["stdout"]
    assert "describe-stacks --stack-name " + STACK in deployed["stdout"], deployed["stdout"]
    assert deployed["stack"]["StackStatus"] == "CREATE_COMPLETE"
    template_outputs = cfn_yaml.load(TEMPLATE)["Outputs"]
    assert sorted(template_outputs) == sorted(
        ["UserPoolId", "ClientId", "Domain", "Region", "Scope", "ApiUrl", "SecretArn", "SecretCommand"]
    )
    # The outputs built from what moto models (those naming a skipped resource are left out by moto).
    assert {"Domain", "Region", "Scope", "ApiUrl"} <= set(deployed["outputs"]), deployed["outputs"]


def test_the_api_requires_the_scope_through_a_cognito_authorizer(deployed, endpoint):
    gateway = client("apigateway", endpoint)
    api = deployed["api_id"]
    by_path = {r["path"]: r for r in gateway.get_resources(restApiId=api)["items"]}
    assert "/pets" in by_path, by_path
    method = gateway.get_method(restApiId=api, resourceId=by_path["/pets"]["id"], httpMethod="GET")
    assert method["authorizationType"] == "COGNITO_USER_POOLS"
    template_method = resources()["ApiMethod"]["Properties"]
    assert template_method["AuthorizationScopes"] == ["demo/example"]
    assert template_method["AuthorizerId"].name == "Ref" and template_method["AuthorizerId"].value == "Authorizer"
    assert method["methodIntegration"]["type"] == "HTTP_PROXY"
    assert gateway.get_stage(restApiId=api, stageName="dev")["stageName"] == "dev"
    assert deployed["authorizer"]["type"] == "COGNITO_USER_POOLS"


def test_the_client_can_ask_for_the_scope_with_client_credentials(deployed):
    app_client = deployed["client"]
    assert app_client["AllowedOAuthFlows"] == ["client_credentials"]
    assert app_client["AllowedOAuthScopes"] == ["demo/example"]
    assert app_client["ClientSecret"], "GenerateSecret gave no secret"


def test_the_outputs_and_the_seed_json_name_the_same_form(deployed):
    outputs, secret = deployed["outputs"], deployed["secret"]
    assert sorted(secret) == sorted(SEED_KEYS)
    assert secret["USER_POOL_DOMAIN"] == outputs["Domain"] == f"{PREFIX}.auth.{REGION}.amazoncognito.com"
    assert secret["USER_POOL_SCOPE"] == outputs["Scope"] == "demo/example"
    assert secret["APIGW_URL"] == outputs["ApiUrl"]
    assert re.fullmatch(
        rf"https://{deployed['api_id']}\.execute-api\.{REGION}\.amazonaws\.com/dev/pets", outputs["ApiUrl"]
    )
    assert secret["USER_POOL_CLIENT_ID"] == deployed["client"]["ClientId"]
    # The client secret is only in the secret, never in an output.
    assert all(deployed["client"]["ClientSecret"] not in v for v in outputs.values())
