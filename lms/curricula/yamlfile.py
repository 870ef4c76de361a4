"""YAML reading that remembers the line of every mapping key and sequence item."""

import yaml


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line = 1

    def __init__(self):
        super().__init__()
        self.key_lines = {}

    def line_of(self, key):
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from YAML that knows its own line and the line of each item."""

    line = 1

    def __init__(self):
        super().__init__()
        self.item_lines = []

    def line_of(self, index):
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class DuplicateKey(ValueError):
    def __init__(self, key, line):
        super().__init__(f"duplicate key {key!r}")
        self.key = key
        self.line = line


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node):
    sequence = LineList()
    sequence.line = node.start_mark.line + 1
    for item_node in node.value:
        sequence.append(loader.construct_object(item_node, deep=True))
        sequence.item_lines.append(item_node.start_mark.line + 1)
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(ValueError):
    def __init__(self, message, line):
        super().__init__(message)
        self.line = line


def parse_yaml(text):
    """Parse YAML text into LineDict/LineList values; raises YamlSyntaxError with a line number."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except DuplicateKey as error:
        raise YamlSyntaxError(str(error), error.line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(f"invalid YAML: {error.problem or error}", line) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"invalid YAML: {error}", 1) from None
