"""Let the database itself refuse a customer as a parent.

A check constraint sees one row only, so triggers compare a company with its parent: a new
or moved company's parent must be a partner, and a partner with companies below it cannot
become a customer.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER companies_company_parent_is_partner_on_insert
    BEFORE INSERT ON companies_company
    WHEN NEW.parent_id IS NOT NULL
        AND (SELECT company_type FROM companies_company WHERE id = NEW.parent_id) <> 0
    BEGIN SELECT RAISE(ABORT, 'a customer company cannot manage other companies'); END
    """,
    """
    CREATE TRIGGER companies_company_parent_is_partner_on_update
    BEFORE UPDATE OF parent_id ON companies_company
    WHEN NEW.parent_id IS NOT NULL
        AND (SELECT company_type FROM companies_company WHERE id = NEW.parent_id) <> 0
    BEGIN SELECT RAISE(ABORT, 'a customer company cannot manage other companies'); END
    """,
    """
    CREATE TRIGGER companies_company_parent_stays_partner
    BEFORE UPDATE OF company_type ON companies_company
    WHEN NEW.company_type <> 0
        AND EXISTS (SELECT 1 FROM companies_company WHERE parent_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'a company that manages others must stay a partner'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER companies_company_parent_is_partner_on_insert",
    "DROP TRIGGER companies_company_parent_is_partner_on_update",
    "DROP TRIGGER companies_company_parent_stays_partner",
]

POSTGRESQL_CREATE = [
    """
    CREATE FUNCTION companies_company_check_parent() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL
            AND (SELECT company_type FROM companies_company WHERE id = NEW.parent_id) <> 0 THEN
            RAISE EXCEPTION 'a customer company cannot manage other companies'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.company_type <> 0 AND EXISTS (SELECT 1 FROM companies_company WHERE parent_id = NEW.id) THEN
            RAISE EXCEPTION 'a company that manages others must stay a partner'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER companies_company_check_parent
    BEFORE INSERT OR UPDATE OF parent_id, company_type ON companies_company
    FOR EACH ROW EXECUTE FUNCTION companies_company_check_parent()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER companies_company_check_parent ON companies_company",
    "DROP FUNCTION companies_company_check_parent()",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def run(statements_index):
    def apply(apps, schema_editor):
        statements = STATEMENTS.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"No parent-type triggers for the {schema_editor.connection.vendor} database.")
        for statement in statements[statements_index]:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(run(0), run(1))]
