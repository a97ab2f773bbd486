"""What our modules import, read from the source with ast, imports inside functions included."""

import ast

from tests.support.daemons import BASE_DIR


def imported_modules(app):
    """``(module path relative to the tree, top-level name it imports)`` for every absolute
    import in the app's modules."""
    for path in (BASE_DIR / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                yield str(path.relative_to(BASE_DIR)), name.partition(".")[0]
