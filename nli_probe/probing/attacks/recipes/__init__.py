"""Built-in attack recipes; every module here is imported when an attack name is first looked
up."""
