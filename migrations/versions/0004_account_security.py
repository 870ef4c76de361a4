"""account security: two-step verification, recovery codes, lockout reset; audit index for lockout counts

user.mfa_secret, mfa_enabled_at, mfa_last_step (TOTP); mfa_recovery_code (salted hashes, used once);
user.lockout_cleared_at (an admin's unlock); audit_event (action, target, occurred_at), which counts
an account's failed sign-ins of the last hour on every login.

Revision ID: 0004_account_security
Revises: 0003_cohorts
Create Date: 2026-11-29 20:11:30.045089

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_account_security'
down_revision = '0003_cohorts'
branch_labels = None
depends_on = None

USER_COLUMNS = ('mfa_secret', 'mfa_enabled_at', 'mfa_last_step', 'lockout_cleared_at')


def upgrade():
    op.create_table('mfa_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=128), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mfa_recovery_code_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_recovery_code'))
    )
    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mfa_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_action_target_occurred_at', ['action', 'target', 'occurred_at'], unique=False)

    # Nullable columns only: added in place on SQLite too (no table copy), existing accounts start
    # with two-step verification off and no lockout reset.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mfa_enabled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('mfa_last_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lockout_cleared_at', sa.DateTime(), nullable=True))


def downgrade():
    # Not batch mode: on SQLite a batch drop_column copies "user" and drops the original, and with
    # foreign keys on that DROP would cascade to every row that references a user (invitations,
    # cohort trainers...). SQLite 3.35+ drops a plain column in place, as PostgreSQL does.
    for column in reversed(USER_COLUMNS):
        op.drop_column('user', column)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_action_target_occurred_at')

    with op.batch_alter_table('mfa_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_recovery_code_user_id'))

    op.drop_table('mfa_recovery_code')
