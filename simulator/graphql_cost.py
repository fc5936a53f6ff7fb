"""What the simulator's GraphQL APIs share: a query checked once per text, and its score.

Scoring walks the query field by field, as Linear's and GitLab's complexity do. Each API prices
a field its own way (`Price`); the walk gives the price the field's named type, its arguments and
a way to score what the field selects, and follows fragments.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from graphql import (
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
    parse,
    validate,
)
from graphql.language import DocumentNode, FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from graphql.utilities import value_from_ast_untyped


@functools.lru_cache(maxsize=256)
def checked(schema: GraphQLSchema, source: str) -> tuple[DocumentNode, list[GraphQLError]]:
    """The query parsed (a syntax error raises `GraphQLError`) and what validating it against `schema` found.

    Once per text: a client sends the same few texts with new variables, and parsing and validating
    took a third of the simulator's time. Execution only reads the document.
    """
    document = parse(source)
    return document, validate(schema, document)


# (the field's named type, its arguments, the score of what it selects) → the field's score
Price = Callable[[Any, dict, Callable[[], float]], float]


def score(
    document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, variables: dict, price: Price
) -> int:
    """The operation's score: the sum of its fields' prices, rounded up."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def selected(selection_set: SelectionSetNode | None, parent: Any) -> float:
        total = 0.0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                named = get_named_type(parent.fields[selection.name.value].type)
                args = {a.name.value: value_from_ast_untyped(a.value, variables) for a in selection.arguments}
                total += price(named, args, lambda field=selection, of=named: selected(field.selection_set, of))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                of = schema.type_map[condition.name.value] if condition else parent
                total += selected(selection.selection_set, of)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments[selection.name.value]
                total += selected(fragment.selection_set, schema.type_map[fragment.type_condition.name.value])
        return total

    return math.ceil(round(selected(operation.selection_set, schema.query_type), 6))
