"""evaluations: the end-of-course survey (items, open questions) and its anonymous responses

evaluation_item and evaluation_question are content imported from evaluation.yaml (stable keys,
retired rather than deleted). evaluation_response has no user or enrollment column, a random id
and a date (not a time); evaluation_answer and evaluation_comment are keyed by response and
item/question, with no id of their own (WITHOUT ROWID on SQLite), so nothing records the order in
which responses arrived. evaluation_receipt (one per enrollment) marks submitted or declined and
never names the response.

Revision ID: 0005_evaluations
Revises: 0004_account_security
Create Date: 2026-11-29 20:30:21.065474

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_evaluations'
down_revision = '0004_account_security'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curriculum.id'], name=op.f('fk_evaluation_question_curriculum_id_curriculum'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_question')),
    sa.UniqueConstraint('curriculum_id', 'key', name=op.f('uq_evaluation_question_curriculum_id_key'))
    )
    op.create_table('evaluation_response',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_evaluation_response_cohort_id_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curriculum.id'], name=op.f('fk_evaluation_response_curriculum_id_curriculum'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_response'))
    )
    with op.batch_alter_table('evaluation_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_response_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_response_curriculum_id'), ['curriculum_id'], unique=False)

    op.create_table('evaluation_comment',
    sa.Column('response_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['evaluation_question.id'], name=op.f('fk_evaluation_comment_question_id_evaluation_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['evaluation_response.id'], name=op.f('fk_evaluation_comment_response_id_evaluation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_evaluation_comment')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_comment_question_id'), ['question_id'], unique=False)

    op.create_table('evaluation_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('section', sa.String(length=255), nullable=False),
    sa.Column('day_number', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('day_number IS NULL OR module_id IS NULL', name=op.f('ck_evaluation_item_one_subject')),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curriculum.id'], name=op.f('fk_evaluation_item_curriculum_id_curriculum'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_evaluation_item_module_id_module'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_item')),
    sa.UniqueConstraint('curriculum_id', 'key', name=op.f('uq_evaluation_item_curriculum_id_key'))
    )
    with op.batch_alter_table('evaluation_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_item_module_id'), ['module_id'], unique=False)

    op.create_table('evaluation_receipt',
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('declined_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('declined_at IS NOT NULL OR submitted_at IS NOT NULL', name=op.f('ck_evaluation_receipt_state_recorded')),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_evaluation_receipt_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrollment_id', name=op.f('pk_evaluation_receipt'))
    )
    op.create_table('evaluation_answer',
    sa.Column('response_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.CheckConstraint('value IS NULL OR (value >= 1 AND value <= 5)', name=op.f('ck_evaluation_answer_value_on_scale')),
    sa.ForeignKeyConstraint(['item_id'], ['evaluation_item.id'], name=op.f('fk_evaluation_answer_item_id_evaluation_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['evaluation_response.id'], name=op.f('fk_evaluation_answer_response_id_evaluation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_evaluation_answer')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answer_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answer_item_id'))

    op.drop_table('evaluation_answer')
    op.drop_table('evaluation_receipt')
    with op.batch_alter_table('evaluation_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_item_module_id'))

    op.drop_table('evaluation_item')
    with op.batch_alter_table('evaluation_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_comment_question_id'))

    op.drop_table('evaluation_comment')
    with op.batch_alter_table('evaluation_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_response_curriculum_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_response_cohort_id'))

    op.drop_table('evaluation_response')
    op.drop_table('evaluation_question')
