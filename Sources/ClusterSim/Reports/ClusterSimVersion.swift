/// The version `clustersim --version` prints: 0.MINOR.0, MINOR the last issue whose work is in.
public enum ClusterSimVersion {
  public static let current = "0.18.0"
}
