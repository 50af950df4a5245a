class RemoveUsersLegacyToken < ActiveRecord::Migration[7.1]
  def up
    remove_column :users, :legacy_token
  end

  def down
    add_column :users, :legacy_token, :text
  end
end
