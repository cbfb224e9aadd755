import CCurl

// libcurl's C callbacks. Each recovers the TransferContext from its userdata pointer and forwards. The pointer is
// unretained: `CurlEasy.perform` keeps the context alive for the whole `curl_easy_perform` and resets the handle
// (dropping the pointer) before it returns.

let writeCallback: curl_write_callback = { data, size, count, userdata in
    Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue().receiveBody(data, count: size * count)
}

let headerCallback: curl_write_callback = { data, size, count, userdata in
    Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue().receiveHeader(data, count: size * count)
}

let openSocketCallback: curl_opensocket_callback = { userdata, _, address in
    Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue().openSocket(address!)
}

let prereqCallback: curl_prereq_callback = { userdata, primaryIP, _, primaryPort, _ in
    Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue().beforeRequest(address: primaryIP, port: primaryPort)
}
