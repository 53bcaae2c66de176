// sluicectl: the admin API from a terminal. Everything happens in `Sluicectl.run`; this file only
// turns its outcome into the process's exit status.
Sluicectl.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current()).exitProcess()
