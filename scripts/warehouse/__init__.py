"""The club payments warehouse: landing, build and exports around a dbt project."""
