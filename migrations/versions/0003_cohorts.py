"""cohorts: deliveries with trainers, attendance, check-in windows, invitations; enrollment.cohort_id

Revision ID: 0003_cohorts
Revises: 0002_certificates
Create Date: 2026-11-29 19:31:43.394481

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_cohorts'
down_revision = '0002_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('delivery_mode', sa.String(length=16), nullable=False),
    sa.Column('day1_date', sa.Date(), nullable=True),
    sa.Column('day2_date', sa.Date(), nullable=True),
    sa.Column('default_track', sa.String(length=16), nullable=False),
    sa.Column('join_code', sa.String(length=8), nullable=False),
    sa.Column('join_open', sa.Boolean(), nullable=False),
    sa.Column('crossover_forms', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("default_track IN ('introductory', 'advanced')", name=op.f('ck_cohort_track_known')),
    sa.CheckConstraint("delivery_mode IN ('online', 'in_person', 'blended')", name=op.f('ck_cohort_mode_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_cohort_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curriculum.id'], name=op.f('fk_cohort_curriculum_id_curriculum')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort')),
    sa.UniqueConstraint('join_code', name=op.f('uq_cohort_join_code'))
    )
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_curriculum_id'), ['curriculum_id'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_invitation_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_invitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_user_id'), ['user_id'], unique=False)

    op.create_table('check_in_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('day_number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_check_in_window_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_check_in_window_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in_window'))
    )
    with op.batch_alter_table('check_in_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_window_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('cohort_trainer',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_cohort_trainer_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cohort_trainer_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_trainer'))
    )
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_trainer_user_id'), ['user_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('day_number', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_attendance_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_attendance_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('enrollment_id', 'day_number', name=op.f('uq_attendance_enrollment_id_day_number'))
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('form_order', sa.String(length=2), server_default='AB', nullable=False))
        batch_op.create_index(batch_op.f('ix_enrollment_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_enrollment_cohort_id_cohort'), 'cohort', ['cohort_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enrollment_cohort_id_cohort'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_enrollment_cohort_id'))
        batch_op.drop_column('form_order')
        batch_op.drop_column('cohort_id')

    op.drop_table('attendance')
    with op.batch_alter_table('cohort_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_trainer_user_id'))

    op.drop_table('cohort_trainer')
    with op.batch_alter_table('check_in_window', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_window_cohort_id'))

    op.drop_table('check_in_window')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_user_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_curriculum_id'))

    op.drop_table('cohort')
