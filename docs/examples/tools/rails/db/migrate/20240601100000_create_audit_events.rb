class CreateAuditEvents < ActiveRecord::Migration[7.1]
  def change
    create_table :audit_events do |t|
      t.bigint :user_id, null: false
      t.text :action, null: false
    end
  end
end
