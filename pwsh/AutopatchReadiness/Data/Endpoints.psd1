# Windows Autopatch service endpoints probed by Test-AutopatchDeviceReadiness when the engine's
# catalogue does not list them. Source: "Configure your network" (windows-autopatch-configure-network.md):
# '2022-05' is the list printed from launch until at least 2024-09; 'current' is the 03/31/2025
# revision without its wildcard hosts (payloadprod*.blob.core.windows.net, *.webpubsub.azure.com),
# which cannot be probed by name; devicelistenprod.eudb.microsoft.com is the EU Data Boundary
# alternative of devicelistenerprod (the engine accepts either). All probes use TCP 443 and TLS 1.2.
@{
    Profiles = @{
        '2022-05' = @(
            'mmdcustomer.microsoft.com'
            'mmdls.microsoft.com'
            'logcollection.mmd.microsoft.com'
            'support.mmd.microsoft.com'
        )
        'current' = @(
            'mmdcustomer.microsoft.com'
            'mmdls.microsoft.com'
            'devicelistenerprod.microsoft.com'
            'devicelistenprod.eudb.microsoft.com'
            'login.windows.net'
            'device.autopatch.microsoft.com'
            'services.autopatch.microsoft.com'
        )
    }
}
