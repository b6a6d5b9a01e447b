/// The reasons backups and restores are refused, each with the values it carries.
extension RIPAError.Reason {
    /// Something is already at the backup's path and overwriting was not asked for (`path`).
    public static let backupTargetExists: Self = "backup.targetExists"
    /// The backup's path is the register itself, a key file beside it, or not a regular file (`path`).
    public static let backupBadTarget: Self = "backup.badTarget"
    /// The copy did not verify, so it was removed (`check`, `index` when one entry is to blame).
    public static let backupCopyFailed: Self = "backup.copyFailed"

    /// The backup to restore does not verify (`check`, `index` when one entry is to blame).
    public static let restoreBackupFails: Self = "restore.backupFails"
    /// The backup's latest checkpoint is not signed by the key in the register key file (`key_file`, `backup_key`).
    public static let restoreKeyMismatch: Self = "restore.keyMismatch"
    /// The kept checkpoint is not this register's: another origin, or signed by no key it used (`origin`).
    public static let restoreForeignCheckpoint: Self = "restore.foreignCheckpoint"
    /// The backup is of another register than the one at the database path (`origin`, `backup_origin`).
    public static let restoreOtherRegister: Self = "restore.otherRegister"
    /// The backup does not extend the kept checkpoint: history was rewritten (`kept_size`,
    /// `backup_size`, and `differs_at`, the first index where they differ, when known).
    public static let restoreFork: Self = "restore.fork"
    /// The backup is older than the kept checkpoint and nothing here can prove it is a prefix
    /// of it, nor name what would be lost (`kept_size`, `backup_size`).
    public static let restoreUnprovable: Self = "restore.unprovable"
    /// Restoring would lose entries and the loss was not accepted with their exact number
    /// (`lost`, `accepted` when a different number was given, `from`, `to`, `entries`).
    public static let restoreLossNotAccepted: Self = "restore.lossNotAccepted"
}
