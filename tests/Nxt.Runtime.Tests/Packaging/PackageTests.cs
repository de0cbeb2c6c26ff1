using System.Diagnostics;

namespace Nxt.Runtime.Tests.Packaging;

/// <summary>
/// The packed <c>Nxt</c> package is all a user's project needs: one PackageReference gives the
/// runtime, the generator, the analyzers and the suppressor. Packs the repository's runtime into
/// a private feed, builds and runs a new console project against it, and builds a broken one.
/// </summary>
public class PackageTests : IDisposable
{
    // The network both user projects train: XOR, which a linear model cannot learn.
    private const string XorNetwork = """
        [Network]
        public partial class Xor
        {
            [Input(2)]              Tensor data;
            [FullyConnected(8)]     Tensor hidden;
            [Activation(Act.Tanh)]  Tensor tanh;
            [FullyConnected(2)]     Tensor scores;
            [SoftmaxOutput]         Tensor softmax;
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-package-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_project_with_one_package_reference_builds_trains_and_reports_NXT_errors()
    {
        var (feed, version) = Pack("Nxt.Runtime");

        string good = UserProject("Good", version, feed, """
            using Nxt;
            var net = new Xor();
            var data = new Tensor([0f, 0, 0, 1, 1, 0, 1, 1], 4, 2);
            var labels = new Tensor([0f, 1, 1, 0], 4);
            net.Fit(new NDArrayIter(data, labels, 4), numEpoch: 400, optimizer: new Adam(0.05f), initializer: new Xavier(), log: TextWriter.Null);
            Console.WriteLine(string.Join(",", Xor.ArgumentNames));
            Console.WriteLine(net.Score(new NDArrayIter(data, labels, 4)));

            """ + XorNetwork);
        var run = Dotnet(good, "run", "-c", "Release");
        Assert.True(run.ExitCode == 0, "the packaged project did not build or run:\n" + run.Output);
        Assert.Contains("data,hidden_weight,hidden_bias,scores_weight,scores_bias,softmax_label", run.Output);
        Assert.Contains("\n1\n", run.Output.Replace("\r", string.Empty) + "\n"); // learns XOR

        string broken = UserProject("Broken", version, feed, """
            using Nxt;
            Console.WriteLine(Net.ArgumentNames.Count); // code using the broken network still binds

            [Network]
            public partial class Net
            {
                [Input(2)]              Tensor data;
                [FullyConnected(0)]     Tensor fc;
                [SoftmaxOutput]         Tensor softmax;
            }
            """);
        var build = Dotnet(broken, "build", "-c", "Release");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error NXT0004", build.Output);
        Assert.DoesNotContain("error CS", build.Output); // the generator's stub keeps the rest compiling
    }

    [Fact]
    public void A_project_referencing_Nxt_Gpu_alone_gets_the_generator_and_trains_on_the_ilgpu_simulator()
    {
        var (feed, version) = Pack("Nxt.Runtime", "Nxt.Gpu");

        string gpu = UserProject("GpuUser", version, feed, """
            using Nxt;
            var net = new Xor();
            net.Bind(4, device: Device.IlgpuCpu);
            var data = new Tensor([0f, 0, 0, 1, 1, 0, 1, 1], 4, 2);
            var labels = new Tensor([0f, 1, 1, 0], 4);
            net.Fit(new NDArrayIter(data, labels, 4), numEpoch: 300, optimizer: new Adam(0.05f), initializer: new Xavier(), log: TextWriter.Null);
            Console.WriteLine(net.Device);
            Console.WriteLine(net.Score(new NDArrayIter(data, labels, 4)));

            """ + XorNetwork, package: "Nxt.Gpu");
        var run = Dotnet(gpu, "run", "-c", "Release");
        Assert.True(run.ExitCode == 0, "the project with Nxt.Gpu did not build or run:\n" + run.Output);
        Assert.Contains("ilgpu_cpu(0)\n1\n", run.Output.Replace("\r", string.Empty) + "\n"); // learns XOR on the device
    }

    [NativeAotFact]
    public void A_native_AOT_project_trains_saves_loads_and_predicts()
    {
        var (feed, version) = Pack("Nxt.Runtime");
        string aot = UserProject("AotUser", version, feed, """
            using Nxt;
            var data = new Tensor([0f, 0, 0, 1, 1, 0, 1, 1], 4, 2);
            var labels = new Tensor([0f, 1, 1, 0], 4);
            var net = new Xor();
            net.Fit(new NDArrayIter(data, labels, 4), numEpoch: 400, optimizer: new Adam(0.05f), initializer: new Xavier(), log: TextWriter.Null);
            string prefix = Path.Combine(args[0], "xor");
            net.SaveCheckpoint(prefix, 1, saveOptimizerStates: true);
            var loaded = new Xor();
            loaded.Bind(4);
            loaded.LoadCheckpoint(prefix, 1);
            var before = net.Predict(new NDArrayIter(data, null, 4)).ToArray();
            var after = loaded.Predict(new NDArrayIter(data, null, 4)).ToArray();
            Console.WriteLine(before.SequenceEqual(after) ? "same predictions" : "different predictions");
            Console.WriteLine(loaded.Score(new NDArrayIter(data, labels, 4)));

            """ + XorNetwork, properties: "<PublishAot>true</PublishAot>");
        string output = Path.Combine(_folder, "aot-out");
        var publish = Dotnet(aot, "publish", "-c", "Release", "-r", "linux-x64", "-o", output);
        Assert.True(publish.ExitCode == 0, "the native AOT publish failed:\n" + publish.Output);
        Assert.DoesNotContain("warning IL", publish.Output); // trimming and AOT analysis found nothing

        var run = Run(Path.Combine(output, "AotUser"), _folder, _folder);
        Assert.True(run.ExitCode == 0, "the native binary failed:\n" + run.Output);
        Assert.Contains("same predictions\n1\n", run.Output.Replace("\r", string.Empty) + "\n");
    }

    /// <summary>Packs the repository's projects into a private feed, with a version no cache has seen.</summary>
    private (string Feed, string Version) Pack(params string[] projects)
    {
        string feed = Path.Combine(_folder, "feed");
        string version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        foreach (string project in projects)
        {
            var pack = Dotnet(RepositoryRoot(), "pack", Path.Combine(project, project + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
            Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed:\n" + pack.Output);
        }

        return (feed, version);
    }

    private string UserProject(string name, string version, string feed, string program, string package = "Nxt", string properties = "")
    {
        string folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_folder, "packages")}</RestorePackagesPath>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="nxt-test" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        // Outside the repository, so that its Directory.Build.props and central versions do not apply.
        return folder;
    }

    private static (int ExitCode, string Output) Dotnet(string workingDirectory, params string[] arguments)
        => Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", workingDirectory, arguments);

    private static (int ExitCode, string Output) Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Nxt.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Nxt.sln) is not above the test's folder.");
    }
}

/// <summary>
/// A native AOT publish needs the platform linker (clang) and zlib; <c>.ci/run</c> installs them.
/// Elsewhere the test is skipped, saying why.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        bool clang = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, "clang")));
        if (!OperatingSystem.IsLinux() || !clang)
        {
            Skip = "Native AOT publishing needs Linux with clang and zlib1g-dev (apt-get install clang zlib1g-dev), as .ci/run installs.";
        }
    }
}
