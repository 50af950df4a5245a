class IndexAuditEventsOnUserId < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :audit_events, :user_id, algorithm: :concurrently
  end
end
