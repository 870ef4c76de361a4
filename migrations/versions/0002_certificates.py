"""certificates: one per completed enrollment plus reissues; revocations kept

Revision ID: 0002_certificates
Revises: 0001_initial
Create Date: 2026-11-29 19:29:31.356133

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_certificates'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('learner_name', sa.String(length=120), nullable=False),
    sa.Column('curriculum_title', sa.String(length=255), nullable=False),
    sa.Column('curriculum_version', sa.String(length=64), nullable=False),
    sa.Column('track', sa.String(length=16), nullable=False),
    sa.Column('credit_hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('cohort_name', sa.String(length=160), nullable=True),
    sa.Column('trainer_names', sa.String(length=255), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=32), nullable=True),
    sa.Column('revocation_note', sa.String(length=500), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("revocation_reason IS NULL OR revocation_reason IN ('superseded', 'issued_in_error', 'misconduct', 'other')", name=op.f('ck_certificate_reason_known')),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curriculum.id'], name=op.f('fk_certificate_curriculum_id_curriculum')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_certificate_enrollment_id_enrollment')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_certificate_revoked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_certificate_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('enrollment_id', 'sequence', name=op.f('uq_certificate_enrollment_id_sequence'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_user_id'))

    op.drop_table('certificate')
