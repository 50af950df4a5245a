class IndexAuditEventsOnAction < ActiveRecord::Migration[7.1]
  # No disable_ddl_transaction!: Rails wraps the migration in a
  # transaction, where CONCURRENTLY fails.
  def change
    add_index :audit_events, :action, algorithm: :concurrently
  end
end
