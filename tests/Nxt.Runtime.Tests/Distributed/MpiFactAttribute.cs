namespace Nxt.Runtime.Tests.Distributed;

/// <summary>A test that starts an MPI job: skipped where MPICH's mpiexec is not installed (.ci/run installs it).</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiJob.Launcher is null)
        {
            Skip = "mpiexec.mpich is not installed (apt-get install mpich)";
        }
    }
}
