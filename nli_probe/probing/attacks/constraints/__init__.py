"""Built-in constraints; every module here is imported when a constraint name is first looked
up."""
