"""CloudFormation YAML read as data, its short-form functions (!Sub, !Ref, !GetAtt, …) kept as `Tag`s."""

from pathlib import Path

import yaml


class Tag:
    """A CloudFormation short-form function (!Sub, !Ref, …) kept as it is."""

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __eq__(self, other):
        return isinstance(other, Tag) and (self.name, self.value) == (other.name, other.value)

    def __repr__(self):
        return f"!{self.name} {self.value!r}"


class Loader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tag(suffix, value)


Loader.add_multi_constructor("!", _tag)


def load(path: Path):
    """The template at `path` as Python data."""
    return yaml.load(Path(path).read_text(), Loader=Loader)
