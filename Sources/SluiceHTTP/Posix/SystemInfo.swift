import CSystem
import Glibc

/// Facts about the machine, read once.
public enum SystemInfo {
    public static var onlineCPUCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
